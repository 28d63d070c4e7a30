/*
 * ptrace's memory, thread, information and procctl requests
 * (spec-sys_process.md §9.3-§9.6, scenarios S25-S41), with the
 * proc_rwmem edge cases of §1.9 (R1-R6, W1-W3, W5, W5b, W6-W8, Z1, Z2,
 * E1-E3), the I-cache sync and map timestamp rules (§1.5, §2.5), and
 * simulated tracers: programs that call `sys ptrace` themselves.
 *
 * The debuggers of the C API are puppets (processes that run no program,
 * made with ps_fork); the tracees are programs.  The spec's layout of §9.0
 * maps onto procsim's (docs/memory.md §1.1) as follows: text at 0x400000,
 * data right after it, the anonymous pages at A = 0x800000000 (two pages,
 * then an unmapped hole, like the spec's 0x800000-0x802000), and the
 * shared sigcode page (0x7fffffffe000, r-x, max r-x, not copy-on-write)
 * stands for the spec's read-only MAP_SHARED file (W5).
 *
 * Every test runs with check_every_op (the fixture of testlib.c) and ends
 * with ps_sim_check.
 */
#include "testlib.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <procsim/procsim.h>

#include "kern/internal_api.h"
#include "kern/kern.h"
#include "vm/vm.h"

#define SIGBIT(s) (1u << ((s) - 1))

/* The memory target's fixed addresses (program MEM_PROG). */
#define A_BASE 0x800000000ull   /* rw-, two pages, then a hole. */
#define A_HOLE (A_BASE + 0x2000)
#define B_NONE 0x800010000ull   /* rw- made --- by the program's mprotect. */
#define RO_PAGE 0x800020000ull  /* r-- */
#define XO_PAGE 0x800030000ull  /* --x */
#define RWX_PAGE 0x800040000ull /* rwx */
#define Z_BASE 0x800050000ull   /* rw-, two pages; only the first touched. */
#define NEW_MAP 0x800100000ull  /* Where the program maps on command (S39). */
#define SHARED_PAGE 0x7fffffffe000ull
#define STACK_BOT 0x7ffffffbe000ull
#define TEXT_BASE 0x400000ull
/* The sigcode's first instruction, `mov r0, sp`: 04 00 10 00 ... */
#define SIGCODE_WORD0 0x00100004
#define NOP_WORD 0x00000001
#define BRK_WORD 0x00000071

/* The byte the program stores at A_BASE + off, for off < 0x2000. */
static uint8_t
anon_byte(uint64_t off)
{
	return (uint8_t)(off + (off >> 8));
}

/* 128 known bytes at the start of MEM_PROG's data. */
#define PAT "The quick brown fox jumps over the lazy dog; 0123456789 " \
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZ abcdefghijklmnopqrstuvwxyz !?#$%&*()+"

static const char MEM_PROG[] =
	"start:  sys mmap 0x800000000, 12288, 3, 0x10\n"
	"        sys munmap 0x800002000, 4096\n"
	"        sys mmap 0x800010000, 4096, 3, 0x10\n"
	"        li r1, 0x800010000\n"
	"        li r2, 0x77\n"
	"        st r2, [r1]\n"
	"        sys mprotect 0x800010000, 4096, 0\n"
	"        sys mmap 0x800020000, 4096, 1, 0x10\n"
	"        sys mmap 0x800030000, 4096, 4, 0x10\n"
	"        sys mmap 0x800040000, 4096, 7, 0x10\n"
	"        sys mmap 0x800050000, 8192, 3, 0x10\n"
	"        li r1, 0x800050000\n"
	"        li r2, 0x55\n"
	"        st r2, [r1]\n"
	"        li r3, 0x800000000\n"
	"        li r1, 0\n"
	"fill:   shr r5, r1, 8\n"
	"        add r5, r5, r1\n"
	"        add r4, r3, r1\n"
	"        stb r5, [r4]\n"
	"        add r1, r1, 1\n"
	"        cmp r1, 8192\n"
	"        blt fill\n"
	"        li r1, 1\n"
	"        st r1, [ready]\n"
	"loop:   ld r1, [cmd]\n"
	"        beqz r1, idle\n"
	"        li r2, 0\n"
	"        st r2, [cmd]\n"
	"        sys mmap 0x800100000, 4096, 3, 0\n"
	"        st r0, [last]\n"
	"idle:   ld r1, [counter]\n"
	"        add r1, r1, 1\n"
	"        st r1, [counter]\n"
	"        work 50\n"
	"        b loop\n"
	"never:  nop\n"
	"        nop\n"
	"        .data\n"
	"pat:    .ascii \"" PAT "\"\n"
	"        .align 8\n"
	"ready:  .quad 0\n"
	"cmd:    .quad 0\n"
	"last:   .quad 0\n"
	"counter: .quad 0\n";

/* ====================================================================== */
/* Helpers                                                                  */
/* ====================================================================== */

static void
add_prog(const char *name, const char *text)
{
	struct ps_asm_error err;
	int rc = ps_program_add(t_sim, name, text, &err);

	ck_assert_msg(rc == 0, "%s: %d:%d: %s", name, err.line, err.column, err.message);
}

static uint64_t
sym(const char *prog, const char *label)
{
	uint64_t a = 0;

	ck_assert_msg(ps_program_symbol(t_sim, prog, label, &a) == 0, "no label %s in %s", label,
	              prog);
	return a;
}

/* Let virtual time advance by ns. */
static void
run_ns(uint64_t ns)
{
	int rc = ps_sim_run_until(t_sim, ps_sim_now(t_sim) + ns, 0, NULL);

	ck_assert_msg(rc == 0, "run: %s", ps_err_name(rc));
}

/* ps_ptrace by tracer; a broken invariant fails the test with its report. */
static int
pt(int32_t tracer, int req, int32_t pid, void *addr, int data, int *rv)
{
	int rc = ps_ptrace(t_sim, tracer, req, pid, addr, data, rv);

	if (rc == PS_EINVARIANT)
		t_check(t_sim);
	return rc;
}

/* A program started under a fresh session leader (a puppet). */
static int32_t
spawn(const char *prog, int32_t *shell)
{
	int32_t sh = t_session(t_sim), pid = -1;

	ck_assert_int_eq(ps_spawn(t_sim, sh, prog, NULL, NULL, &pid), 0);
	if (shell != NULL)
		*shell = sh;
	return pid;
}

/* The tracer collects a stop of pid with signal sig (A.2: no WUNTRACED). */
static void
collect_stop(int32_t tracer, int32_t pid, int sig)
{
	int st = -1;

	run_ns(3000000); /* Longer than a quantum: every thread gets a CPU. */
	ck_assert_int_eq(ps_wait(t_sim, tracer, pid, PS_WNOHANG, &st), pid);
	ck_assert_msg(st == PS_W_STOPCODE(sig), "status %#x, expected a stop by %d", st, sig);
}

/* PT_ATTACH and the wait for its SIGSTOP: pid is stopped+waited. */
static void
attach(int32_t tracer, int32_t pid)
{
	ck_assert_int_eq(pt(tracer, PS_PT_ATTACH, pid, NULL, 0, NULL), 0);
	collect_stop(tracer, pid, PS_SIGSTOP);
}

static int32_t
first_tid(int32_t pid)
{
	int32_t tids[8];
	size_t n = 0;

	ck_assert_int_eq(ps_proc_threads(t_sim, pid, tids, 8, &n), 0);
	ck_assert_uint_ge(n, 1);
	return tids[0];
}

static uint32_t
dbgflags(int32_t tid)
{
	struct ps_thread_dbg d;

	ck_assert_int_eq(ps_thread_dbg(t_sim, tid, &d), 0);
	return d.dbgflags;
}

static struct ps_ptrace_info
ptinfo(int32_t pid)
{
	struct ps_ptrace_info i;

	ck_assert_int_eq(ps_ptrace_info(t_sim, pid, &i), 0);
	return i;
}

/* PT_READ_D that must succeed: the word. */
static int
peek(int32_t tracer, int32_t pid, uint64_t addr)
{
	int rv = 0x5a5a5a5a;
	int rc = pt(tracer, PS_PT_READ_D, pid, (void *)(uintptr_t)addr, 0, &rv);

	ck_assert_msg(rc == 0, "PT_READ_D %#llx: %s", (unsigned long long)addr, ps_err_name(rc));
	return rv;
}

static int
io(int32_t tracer, int32_t pid, int op, uint64_t offs, void *buf, uint64_t len,
   struct ps_ptrace_io_desc *out)
{
	struct ps_ptrace_io_desc d = { .piod_op = op, .piod_offs = offs, .piod_addr = buf,
	                               .piod_len = len };
	int rc = pt(tracer, PS_PT_IO, pid, &d, 0, NULL);

	if (out != NULL)
		*out = d;
	return rc;
}

/* A structure the kernel must not have written back (field by field: the
 * padding is not part of it). */
static void
same_desc(const struct ps_ptrace_io_desc *a, const struct ps_ptrace_io_desc *b)
{
	ck_assert_int_eq(a->piod_op, b->piod_op);
	ck_assert_uint_eq(a->piod_offs, b->piod_offs);
	ck_assert_ptr_eq(a->piod_addr, b->piod_addr);
	ck_assert_uint_eq(a->piod_len, b->piod_len);
}

static void
same_pve(const struct ps_ptrace_vm_entry *a, const struct ps_ptrace_vm_entry *b)
{
	ck_assert_int_eq(a->pve_entry, b->pve_entry);
	ck_assert_int_eq(a->pve_timestamp, b->pve_timestamp);
	ck_assert_uint_eq(a->pve_start, b->pve_start);
	ck_assert_uint_eq(a->pve_end, b->pve_end);
	ck_assert_uint_eq(a->pve_offset, b->pve_offset);
	ck_assert_uint_eq(a->pve_prot, b->pve_prot);
	ck_assert_uint_eq(a->pve_pathlen, b->pve_pathlen);
	ck_assert_int_eq(a->pve_fileid, b->pve_fileid);
	ck_assert_uint_eq(a->pve_fsid, b->pve_fsid);
	ck_assert_ptr_eq(a->pve_path, b->pve_path);
}

/* Memory of pid read behind the debugger's back (run.h). */
static void
mem(int32_t pid, uint64_t addr, void *buf, size_t len)
{
	size_t done = 0;
	int rc = ps_mem_read(t_sim, pid, addr, buf, len, &done);

	ck_assert_msg(rc == 0, "ps_mem_read %d %#llx: %s", pid, (unsigned long long)addr,
	              ps_err_name(rc));
	ck_assert_uint_eq(done, len);
}

static uint32_t
mem32(int32_t pid, uint64_t addr)
{
	uint32_t v;

	mem(pid, addr, &v, sizeof(v));
	return v;
}

static uint64_t
mem64(int32_t pid, uint64_t addr)
{
	uint64_t v;

	mem(pid, addr, &v, sizeof(v));
	return v;
}

/* The memory target, set up, attached by a fresh tracer, stopped+waited. */
struct memt {
	int32_t shell, c, t, td;
	uint64_t data, pat, ready, cmd, last, counter, never;
};

static struct memt
mem_target(void)
{
	struct memt m;

	add_prog("mem", MEM_PROG);
	m.c = spawn("mem", &m.shell);
	m.t = t_fork(t_sim, 1);
	m.pat = sym("mem", "pat");
	m.data = m.pat;
	m.ready = sym("mem", "ready");
	m.cmd = sym("mem", "cmd");
	m.last = sym("mem", "last");
	m.counter = sym("mem", "counter");
	m.never = sym("mem", "never");
	run_ns(300000);
	ck_assert_uint_eq(mem64(m.c, m.ready), 1);
	attach(m.t, m.c);
	m.td = first_tid(m.c);
	return m;
}

/* ====================================================================== */
/* S25-S32 and §1.9: memory                                                 */
/* ====================================================================== */

/* S25, R1 (§1.9; 001:1049-1055, 001:588-590): a PT_IO read inside one page
 * returns 0, delivers every byte, and copies the descriptor back with
 * piod_len unchanged; PT_READ_D returns the 4-byte int at addr (§1.8). */
START_TEST(s25_io_read_inside_one_page)
{
	struct memt m = mem_target();
	struct ps_ptrace_io_desc d;
	uint8_t buf[80];
	int32_t w;

	memset(buf, 0xee, sizeof(buf));
	ck_assert_int_eq(io(m.t, m.c, PS_PIOD_READ_D, m.data + 0x10, buf, 64, &d), 0);
	ck_assert_mem_eq(buf, PAT + 0x10, 64);
	for (size_t i = 64; i < sizeof(buf); i++)
		ck_assert_uint_eq(buf[i], 0xee);
	ck_assert_int_eq(d.piod_op, PS_PIOD_READ_D);
	ck_assert_uint_eq(d.piod_offs, m.data + 0x10);
	ck_assert_ptr_eq(d.piod_addr, buf);
	ck_assert_uint_eq(d.piod_len, 64);
	/* PIOD_READ_I is the same transfer. */
	memset(buf, 0, sizeof(buf));
	ck_assert_int_eq(io(m.t, m.c, PS_PIOD_READ_I, m.data + 0x10, buf, 64, &d), 0);
	ck_assert_mem_eq(buf, PAT + 0x10, 64);
	memcpy(&w, PAT + 0x10, 4);
	ck_assert_int_eq(peek(m.t, m.c, m.data + 0x10), w);
	/* Unaligned word: bytes 0x11..0x14. */
	memcpy(&w, PAT + 0x11, 4);
	ck_assert_int_eq(peek(m.t, m.c, m.data + 0x11), w);
	/* Reads change nothing: no USERWR, no icache sync. */
	ck_assert_uint_eq(dbgflags(m.td) & PS_TDB_USERWR, 0);
	ck_assert_uint_eq(ptinfo(m.c).icache_syncs, 0);
}
END_TEST

/* S26, R3 (001:273-301, 001:580-582): a PT_IO read running into an unmapped
 * page fails with EFAULT after the bytes up to the boundary reached the
 * tracer's buffer; the rest is untouched and the descriptor not rewritten. */
START_TEST(s26_io_read_into_hole)
{
	struct memt m = mem_target();
	struct ps_ptrace_io_desc d = { 0 };
	uint8_t *buf = malloc(0x2000);
	struct ps_ptrace_io_desc in;

	ck_assert_ptr_nonnull(buf);
	memset(buf, 0xee, 0x200);
	in = (struct ps_ptrace_io_desc){ .piod_op = PS_PIOD_READ_D, .piod_offs = A_BASE + 0x1f00,
	                                 .piod_addr = buf, .piod_len = 0x200 };
	d = in;
	ck_assert_int_eq(pt(m.t, PS_PT_IO, m.c, &d, 0, NULL), PS_EFAULT);
	for (uint64_t i = 0; i < 0x100; i++)
		ck_assert_uint_eq(buf[i], anon_byte(0x1f00 + i));
	for (uint64_t i = 0x100; i < 0x200; i++)
		ck_assert_uint_eq(buf[i], 0xee);
	same_desc(&d, &in);
	/* Several chunks before the hole: 0x800 bytes of page 0, all of page 1. */
	memset(buf, 0xee, 0x2000);
	ck_assert_int_eq(io(m.t, m.c, PS_PIOD_READ_D, A_BASE + 0x800, buf, 0x2000, NULL),
	                 PS_EFAULT);
	for (uint64_t i = 0; i < 0x1800; i++)
		ck_assert_uint_eq(buf[i], anon_byte(0x800 + i));
	for (uint64_t i = 0x1800; i < 0x2000; i++)
		ck_assert_uint_eq(buf[i], 0xee);
	/* R4: a read starting in the hole moves nothing. */
	memset(buf, 0xee, 0x10);
	ck_assert_int_eq(io(m.t, m.c, PS_PIOD_READ_D, A_HOLE, buf, 0x10, NULL), PS_EFAULT);
	for (int i = 0; i < 0x10; i++)
		ck_assert_uint_eq(buf[i], 0xee);
	ck_assert_int_eq(pt(m.t, PS_PT_READ_D, m.c, (void *)(uintptr_t)A_HOLE, 0, NULL), PS_EFAULT);
	ck_assert_int_eq(pt(m.t, PS_PT_READ_D, m.c, (void *)(uintptr_t)0x10, 0, NULL), PS_EFAULT);
	ck_assert_uint_eq(dbgflags(m.td) & PS_TDB_USERWR, 0);
	free(buf);
}
END_TEST

/* S27, W7 (§1.3 "no rollback", 001:1039-1042): a PT_IO write running into
 * an unmapped page fails with EFAULT, and the bytes before the boundary
 * stay written; td2 has TDB_USERWR. */
START_TEST(s27_io_write_into_hole)
{
	struct memt m = mem_target();
	struct ps_ptrace_io_desc in, d;
	uint8_t pat[0x200], back[0x100];

	for (int i = 0; i < 0x200; i++)
		pat[i] = (uint8_t)(0xa0 ^ i);
	in = (struct ps_ptrace_io_desc){ .piod_op = PS_PIOD_WRITE_D, .piod_offs = A_BASE + 0x1f00,
	                                 .piod_addr = pat, .piod_len = 0x200 };
	d = in;
	ck_assert_uint_eq(dbgflags(m.td) & PS_TDB_USERWR, 0);
	ck_assert_int_eq(pt(m.t, PS_PT_IO, m.c, &d, 0, NULL), PS_EFAULT);
	same_desc(&d, &in);
	ck_assert_uint_eq(dbgflags(m.td) & PS_TDB_USERWR, PS_TDB_USERWR);
	ck_assert_int_eq(io(m.t, m.c, PS_PIOD_READ_D, A_BASE + 0x1f00, back, 0x100, NULL), 0);
	ck_assert_mem_eq(back, pat, 0x100);
	/* The byte before the write is the program's. */
	ck_assert_uint_eq(mem32(m.c, A_BASE + 0x1efc) >> 24, anon_byte(0x1eff));
	/* Data is not executable: no sync. */
	ck_assert_uint_eq(ptinfo(m.c).icache_syncs, 0);
}
END_TEST

/* S28, W2 (§1.4 items 4 and 7, §1.5, 001:308-315, 001:972): a breakpoint
 * written into text lands in a private copy; PT_READ_I sees it; one icache
 * sync per write; the entry stays r-x; another process running the same
 * program still reads the original word; TDB_USERWR is set.  Writing the
 * word back syncs again; a write into data does not sync. */
START_TEST(s28_breakpoint_into_text)
{
	struct memt m = mem_target();
	int32_t other = spawn("mem", NULL);
	struct ps_ptrace_vm_entry e;
	int w0 = 0, w = 0;
	uint32_t ts = ptinfo(m.c).vm_timestamp;

	ck_assert_int_eq(pt(m.t, PS_PT_READ_I, m.c, (void *)(uintptr_t)m.never, 0, &w0), 0);
	ck_assert_int_eq(w0, NOP_WORD);
	ck_assert_int_eq(pt(m.t, PS_PT_WRITE_I, m.c, (void *)(uintptr_t)m.never,
	                    (w0 & ~0xff) | 0x71, NULL), 0);
	ck_assert_int_eq(pt(m.t, PS_PT_READ_I, m.c, (void *)(uintptr_t)m.never, 0, &w), 0);
	ck_assert_int_eq(w, BRK_WORD);
	ck_assert_uint_eq(ptinfo(m.c).icache_syncs, 1);
	ck_assert_uint_eq(dbgflags(m.td) & PS_TDB_USERWR, PS_TDB_USERWR);
	/* The entry's protection is still r-x (no PTE upgrade). */
	memset(&e, 0, sizeof(e));
	ck_assert_int_eq(pt(m.t, PS_PT_VM_ENTRY, m.c, &e, 0, NULL), 0);
	ck_assert_uint_eq(e.pve_start, TEXT_BASE);
	ck_assert_uint_eq(e.pve_prot, PS_PROT_READ | PS_PROT_EXEC);
	/* Another process running the program, and the program's bytes. */
	run_ns(300000);
	ck_assert_uint_eq(mem32(other, m.never), NOP_WORD);
	ck_assert_uint_eq(ptinfo(other).icache_syncs, 0);
	ck_assert_uint_eq(mem32(m.c, m.never), BRK_WORD);
	/* A later exec of the program: the original word too. */
	{
		int32_t later = spawn("mem", NULL);

		run_ns(300000);
		ck_assert_uint_eq(mem32(later, m.never), NOP_WORD);
	}
	/* Back to w0: a second sync. */
	ck_assert_int_eq(pt(m.t, PS_PT_WRITE_I, m.c, (void *)(uintptr_t)m.never, w0, NULL), 0);
	ck_assert_int_eq(peek(m.t, m.c, m.never), NOP_WORD);
	ck_assert_uint_eq(ptinfo(m.c).icache_syncs, 2);
	/* Into data: no sync. */
	ck_assert_int_eq(pt(m.t, PS_PT_WRITE_D, m.c, (void *)(uintptr_t)m.data, 0x41424344, NULL),
	                 0);
	ck_assert_int_eq(peek(m.t, m.c, m.data), 0x41424344);
	ck_assert_uint_eq(ptinfo(m.c).icache_syncs, 2);
	/* docs/memory.md §6: debugger writes leave procsim's timestamp alone. */
	ck_assert_uint_eq(ptinfo(m.c).vm_timestamp, ts);
}
END_TEST

/* S28 with a fork relative (W1, W2; §1.4 item 4: other processes sharing
 * the page are not affected).  A program P forks C; both run it.  The
 * tracer attaches to C and writes into C's text and data: C sees the new
 * words, P keeps the old ones, and only C's map counts an icache sync. */
static const char FORKER_PROG[] =
	"start:  ld r1, [val]\n"
	"        add r1, r1, 1\n"
	"        st r1, [val]\n"
	"        sys fork\n"
	"        bnez r0, parent\n"
	"child:  work 50\n"
	"        b child\n"
	"parent: work 50\n"
	"        b parent\n"
	"never:  nop\n"
	"        .data\n"
	"        .align 8\n"
	"val:    .quad 100\n";

START_TEST(w1_w2_cow_not_visible_to_fork_parent)
{
	int32_t p = -1, c = -1, t = t_fork(t_sim, 1), kids[4];
	size_t n = 0;
	uint64_t never, val;

	add_prog("forker", FORKER_PROG);
	p = spawn("forker", NULL);
	never = sym("forker", "never");
	val = sym("forker", "val");
	run_ns(300000);
	ck_assert_int_eq(ps_proc_children(t_sim, p, kids, 4, &n), 0);
	ck_assert_uint_eq(n, 1);
	c = kids[0];
	ck_assert_uint_eq(mem64(p, val), 101);
	ck_assert_uint_eq(mem64(c, val), 101);
	ck_assert_uint_eq(mem32(p, never), NOP_WORD);
	attach(t, c);
	/* E1 on a page shared with the fork relative: the COW copy needs a
	 * frame; with none, ENOMEM and neither side changes. */
	ck_assert_int_eq(ps_ptrace_inject_enomem(t_sim, 1), 0);
	ck_assert_int_eq(pt(t, PS_PT_WRITE_D, c, (void *)(uintptr_t)val, 555, NULL), PS_ENOMEM);
	ck_assert_int_eq(ps_ptrace_inject_enomem(t_sim, 0), 0);
	ck_assert_uint_eq(mem64(c, val), 101);
	ck_assert_uint_eq(mem64(p, val), 101);
	ck_assert_int_eq(pt(t, PS_PT_WRITE_I, c, (void *)(uintptr_t)never, BRK_WORD, NULL), 0);
	ck_assert_int_eq(pt(t, PS_PT_WRITE_D, c, (void *)(uintptr_t)val, 555, NULL), 0);
	ck_assert_int_eq(peek(t, c, never), BRK_WORD);
	ck_assert_int_eq(peek(t, c, val), 555);
	ck_assert_uint_eq(mem32(c, never), BRK_WORD);
	ck_assert_uint_eq(mem64(c, val), 555);
	ck_assert_uint_eq(mem32(p, never), NOP_WORD);
	ck_assert_uint_eq(mem64(p, val), 101);
	ck_assert_uint_eq(ptinfo(c).icache_syncs, 1);
	ck_assert_uint_eq(ptinfo(p).icache_syncs, 0);
	/* P keeps running its own text and data. */
	run_ns(100000);
	ck_assert_uint_eq(mem32(p, never), NOP_WORD);
	ck_assert_int_eq(t_state(t_sim, p), PS_PRS_NORMAL);
}
END_TEST

/* S29, W5 (§1.4 rule 3): the shared page (r-x, max r-x, not private) is
 * readable but refuses debugger writes with EFAULT and stays unchanged;
 * TDB_USERWR is set all the same (E3). */
START_TEST(s29_w5_shared_page_write_refused)
{
	struct memt m = mem_target();
	uint8_t buf[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };

	ck_assert_int_eq(peek(m.t, m.c, SHARED_PAGE), SIGCODE_WORD0);
	ck_assert_uint_eq(dbgflags(m.td) & PS_TDB_USERWR, 0);
	ck_assert_int_eq(pt(m.t, PS_PT_WRITE_D, m.c, (void *)(uintptr_t)SHARED_PAGE, 1, NULL),
	                 PS_EFAULT);
	ck_assert_uint_eq(dbgflags(m.td) & PS_TDB_USERWR, PS_TDB_USERWR);
	ck_assert_int_eq(io(m.t, m.c, PS_PIOD_WRITE_I, SHARED_PAGE, buf, 8, NULL), PS_EFAULT);
	ck_assert_int_eq(peek(m.t, m.c, SHARED_PAGE), SIGCODE_WORD0);
	ck_assert_uint_eq(mem32(m.c, SHARED_PAGE), SIGCODE_WORD0);
	ck_assert_uint_eq(ptinfo(m.c).icache_syncs, 0);
}
END_TEST

/* S29 variant, W6 and R5 (§1.4 rule 2): after the program's
 * mprotect(PROT_NONE), reads and writes of the page fail with EFAULT; so do
 * reads of an execute-only page.  The entries keep their protection. */
START_TEST(s29_w6_r5_prot_none_and_exec_only)
{
	struct memt m = mem_target();
	uint8_t buf[16];
	size_t done = 99;

	ck_assert_int_eq(pt(m.t, PS_PT_READ_D, m.c, (void *)(uintptr_t)B_NONE, 0, NULL),
	                 PS_EFAULT);
	ck_assert_int_eq(pt(m.t, PS_PT_WRITE_D, m.c, (void *)(uintptr_t)B_NONE, 9, NULL),
	                 PS_EFAULT);
	ck_assert_uint_eq(dbgflags(m.td) & PS_TDB_USERWR, PS_TDB_USERWR);
	ck_assert_int_eq(io(m.t, m.c, PS_PIOD_READ_D, B_NONE, buf, 16, NULL), PS_EFAULT);
	ck_assert_int_eq(io(m.t, m.c, PS_PIOD_WRITE_D, B_NONE, buf, 16, NULL), PS_EFAULT);
	ck_assert_int_eq(pt(m.t, PS_PT_READ_I, m.c, (void *)(uintptr_t)XO_PAGE, 0, NULL),
	                 PS_EFAULT);
	ck_assert_int_eq(io(m.t, m.c, PS_PIOD_READ_I, XO_PAGE, buf, 16, NULL), PS_EFAULT);
	/* A write into the execute-only page needs READ too (rule 2). */
	ck_assert_int_eq(pt(m.t, PS_PT_WRITE_I, m.c, (void *)(uintptr_t)XO_PAGE, 9, NULL),
	                 PS_EFAULT);
	ck_assert_uint_eq(ptinfo(m.c).icache_syncs, 0);
	/* ps_mem_read follows the same rules (run.h). */
	ck_assert_int_eq(ps_mem_read(t_sim, m.c, B_NONE, buf, 4, &done), PS_EFAULT);
	ck_assert_uint_eq(done, 0);
	/* The program's own byte is still behind the protection: made readable
	 * again (internally), the page holds it. */
	ck_assert_int_eq(vm_mprotect(pfind_any_nolock(ps__kernel(t_sim), m.c)->p_vmspace, B_NONE,
	                             PAGE_SIZE, VM_PROT_READ), 0);
	ck_assert_int_eq(peek(m.t, m.c, B_NONE), 0x77);
}
END_TEST

/* W3 (§1.9): a private PROT_READ mapping takes a debugger write (COW), the
 * entry stays r--, and no icache sync happens (not executable). */
START_TEST(w3_write_into_readonly_private_mapping)
{
	struct memt m = mem_target();
	struct ps_ptrace_vm_entry e;
	int i;

	ck_assert_int_eq(peek(m.t, m.c, RO_PAGE), 0);
	ck_assert_int_eq(pt(m.t, PS_PT_WRITE_D, m.c, (void *)(uintptr_t)RO_PAGE, 0x600d, NULL), 0);
	ck_assert_int_eq(peek(m.t, m.c, RO_PAGE), 0x600d);
	ck_assert_uint_eq(mem32(m.c, RO_PAGE), 0x600d);
	ck_assert_uint_eq(ptinfo(m.c).icache_syncs, 0);
	/* Entries: text, data, A, B, RO: the fifth is r--. */
	memset(&e, 0, sizeof(e));
	for (i = 0; i < 5; i++)
		ck_assert_int_eq(pt(m.t, PS_PT_VM_ENTRY, m.c, &e, 0, NULL), 0);
	ck_assert_uint_eq(e.pve_start, RO_PAGE);
	ck_assert_uint_eq(e.pve_prot, PS_PROT_READ);
}
END_TEST

/* W5b (§1.9; §1.4 rule 3): a private mapping whose max protection lacks
 * WRITE still takes a debugger write, because it is copy-on-write.  No
 * system call makes such an entry (mmap gives max rwx), so the test maps
 * one into the stopped tracee with vm_map_fixed. */
START_TEST(w5b_private_mapping_without_max_write)
{
	struct memt m = mem_target();
	struct proc *p = pfind_any_nolock(ps__kernel(t_sim), m.c);
	const uint64_t va = 0x800200000ull;
	uint8_t buf[4] = { 0xde, 0xad, 0xbe, 0xef }, back[4];

	ck_assert_ptr_nonnull(p);
	ck_assert_int_eq(vm_map_fixed(p->p_vmspace, va, PAGE_SIZE, VM_PROT_READ, VM_PROT_READ, NULL,
	                              0, "w5b"), 0);
	ck_assert_int_eq(io(m.t, m.c, PS_PIOD_WRITE_D, va + 0x10, buf, 4, NULL), 0);
	ck_assert_int_eq(io(m.t, m.c, PS_PIOD_READ_D, va + 0x10, back, 4, NULL), 0);
	ck_assert_mem_eq(back, buf, 4);
	ck_assert_uint_eq(ptinfo(m.c).icache_syncs, 0);
}
END_TEST

/* S30, W8, R2 (§1.8, 001:978-1002): a word read straddling into the hole
 * fails; a word write there fails with EFAULT but its first two bytes
 * (little-endian 0x44, 0x33) are written; a word read straddling two
 * mapped pages is assembled from both chunks. */
START_TEST(s30_word_straddling_pages)
{
	struct memt m = mem_target();
	uint8_t b[2];
	uint32_t exp = 0;

	ck_assert_int_eq(pt(m.t, PS_PT_READ_D, m.c, (void *)(uintptr_t)(A_BASE + 0x1ffe), 0, NULL),
	                 PS_EFAULT);
	ck_assert_int_eq(pt(m.t, PS_PT_WRITE_D, m.c, (void *)(uintptr_t)(A_BASE + 0x1ffe),
	                    0x11223344, NULL), PS_EFAULT);
	ck_assert_int_eq(io(m.t, m.c, PS_PIOD_READ_D, A_BASE + 0x1ffe, b, 2, NULL), 0);
	ck_assert_uint_eq(b[0], 0x44);
	ck_assert_uint_eq(b[1], 0x33);
	ck_assert_uint_eq(mem32(m.c, A_BASE + 0x1ffc),
	                  (uint32_t)anon_byte(0x1ffc) | (uint32_t)anon_byte(0x1ffd) << 8 |
	                      0x44u << 16 | 0x33u << 24);
	for (int i = 3; i >= 0; i--)
		exp = exp << 8 | anon_byte(0xffe + (uint64_t)i);
	ck_assert_int_eq(peek(m.t, m.c, A_BASE + 0xffe), (int)exp);
	/* R2 through PT_IO: 0x20 bytes across the two mapped pages. */
	{
		uint8_t two[0x20];

		ck_assert_int_eq(io(m.t, m.c, PS_PIOD_READ_D, A_BASE + 0xff0, two, 0x20, NULL), 0);
		for (int i = 0; i < 0x20; i++)
			ck_assert_uint_eq(two[i], anon_byte(0xff0 + (uint64_t)i));
	}
	/* And the word write across the mapped boundary: both chunks land. */
	ck_assert_int_eq(pt(m.t, PS_PT_WRITE_D, m.c, (void *)(uintptr_t)(A_BASE + 0xffe),
	                    (int)0xcafef00d, NULL), 0);
	ck_assert_int_eq(peek(m.t, m.c, A_BASE + 0xffe), (int)0xcafef00d);
	ck_assert_uint_eq(mem32(m.c, A_BASE + 0x1000) & 0xffff, 0xcafe);
}
END_TEST

/* S31, Z1, Z2 (§1.3 "the body runs at least once"; 001:1044-1046): a
 * zero-length PT_IO at a mapped address succeeds with piod_len 0, at an
 * unmapped one fails with EFAULT; a bad piod_op is EINVAL with no transfer
 * and no TDB_USERWR. */
START_TEST(s31_zero_length_and_bad_op)
{
	struct memt m = mem_target();
	struct ps_ptrace_io_desc d;
	uint8_t buf[16];

	memset(buf, 0xee, sizeof(buf));
	ck_assert_int_eq(io(m.t, m.c, 7, m.data, buf, 16, &d), PS_EINVAL);
	ck_assert_int_eq(io(m.t, m.c, 0, m.data, buf, 16, &d), PS_EINVAL);
	for (int i = 0; i < 16; i++)
		ck_assert_uint_eq(buf[i], 0xee);
	ck_assert_uint_eq(dbgflags(m.td) & PS_TDB_USERWR, 0);
	ck_assert_int_eq(io(m.t, m.c, PS_PIOD_READ_D, m.data, buf, 0, &d), 0);
	ck_assert_uint_eq(d.piod_len, 0);
	ck_assert_uint_eq(buf[0], 0xee);
	ck_assert_int_eq(io(m.t, m.c, PS_PIOD_READ_D, A_HOLE, buf, 0, &d), PS_EFAULT);
	ck_assert_int_eq(io(m.t, m.c, PS_PIOD_READ_D, 0, buf, 0, &d), PS_EFAULT);
	/* A zero-length write is a write: USERWR, success at a mapped address
	 * (text too: the page is faulted, no byte moved, the chunk synced). */
	ck_assert_int_eq(io(m.t, m.c, PS_PIOD_WRITE_D, RO_PAGE, buf, 0, &d), 0);
	ck_assert_uint_eq(d.piod_len, 0);
	ck_assert_uint_eq(dbgflags(m.td) & PS_TDB_USERWR, PS_TDB_USERWR);
	ck_assert_int_eq(io(m.t, m.c, PS_PIOD_WRITE_D, A_HOLE, buf, 0, &d), PS_EFAULT);
	ck_assert_uint_eq(mem32(m.c, RO_PAGE), 0);
}
END_TEST

/* S32, E2 (001:306, 001:591-593): a NULL tracer buffer fails the copy with
 * EFAULT; for a write TDB_USERWR is set and the target is unchanged;
 * PT_GETREGS to NULL is EFAULT from the copy-out with no state change. */
START_TEST(s32_tracer_buffer_faults)
{
	struct memt m = mem_target();
	struct ps_ptrace_info before, after;
	struct ps_regs r;

	ck_assert_int_eq(io(m.t, m.c, PS_PIOD_READ_D, m.data, NULL, 16, NULL), PS_EFAULT);
	ck_assert_uint_eq(dbgflags(m.td) & PS_TDB_USERWR, 0);
	ck_assert_int_eq(io(m.t, m.c, PS_PIOD_WRITE_D, m.data, NULL, 16, NULL), PS_EFAULT);
	ck_assert_uint_eq(dbgflags(m.td) & PS_TDB_USERWR, PS_TDB_USERWR);
	{
		uint8_t back[16];

		mem(m.c, m.data, back, 16);
		ck_assert_mem_eq(back, PAT, 16);
	}
	before = ptinfo(m.c);
	ck_assert_int_eq(pt(m.t, PS_PT_GETREGS, m.c, NULL, 0, NULL), PS_EFAULT);
	after = ptinfo(m.c);
	ck_assert_mem_eq(&before, &after, sizeof(before));
	/* Still stopped and waited: the next request works. */
	ck_assert_int_eq(pt(m.t, PS_PT_GETREGS, m.c, &r, 0, NULL), 0);
	ck_assert_uint_eq(before.flags & (PS_P_STOPPED_TRACE | PS_P_WAITED),
	                  PS_P_STOPPED_TRACE | PS_P_WAITED);
}
END_TEST

/* R6 (§1.9, §1.4 item 8): never-touched anonymous memory reads as zeros;
 * procsim's timestamp does not move (docs/memory.md §5, §7). */
START_TEST(r6_untouched_anonymous_reads_zero)
{
	struct memt m = mem_target();
	uint8_t *buf = malloc(PAGE_SIZE), zero[64];
	uint32_t ts = ptinfo(m.c).vm_timestamp;

	ck_assert_ptr_nonnull(buf);
	memset(buf, 0xee, PAGE_SIZE);
	memset(zero, 0, sizeof(zero));
	ck_assert_int_eq(peek(m.t, m.c, Z_BASE + PAGE_SIZE + 8), 0);
	ck_assert_int_eq(io(m.t, m.c, PS_PIOD_READ_D, Z_BASE + PAGE_SIZE, buf, PAGE_SIZE, NULL), 0);
	for (size_t i = 0; i < PAGE_SIZE; i++)
		ck_assert_uint_eq(buf[i], 0);
	/* The touched first page has the program's byte. */
	ck_assert_int_eq(peek(m.t, m.c, Z_BASE), 0x55);
	ck_assert_uint_eq(ptinfo(m.c).vm_timestamp, ts);
	free(buf);
}
END_TEST

/* E1 (§1.4 item 9, §1.9): a resource shortage injected into the COW fault
 * gives ENOMEM; chunks before it persist; TDB_USERWR is set.  Z's second
 * page was never touched, so writing it needs a new frame. */
START_TEST(e1_enomem_injected)
{
	struct memt m = mem_target();
	uint8_t buf[0x20], back[0x20];

	for (int i = 0; i < 0x20; i++)
		buf[i] = (uint8_t)(0x30 + i);
	ck_assert_int_eq(ps_ptrace_inject_enomem(t_sim, 1), 0);
	ck_assert_int_eq(io(m.t, m.c, PS_PIOD_WRITE_D, Z_BASE + PAGE_SIZE - 0x10, buf, 0x20, NULL),
	                 PS_ENOMEM);
	ck_assert_uint_eq(dbgflags(m.td) & PS_TDB_USERWR, PS_TDB_USERWR);
	/* The injection is used up: the first page holds the first 16 bytes, the
	 * second page still reads zeros. */
	ck_assert_int_eq(io(m.t, m.c, PS_PIOD_READ_D, Z_BASE + PAGE_SIZE - 0x10, back, 0x20, NULL),
	                 0);
	ck_assert_mem_eq(back, buf, 0x10);
	for (int i = 0x10; i < 0x20; i++)
		ck_assert_uint_eq(back[i], 0);
	/* A word write into another untouched page (the r-- one). */
	ck_assert_int_eq(ps_ptrace_inject_enomem(t_sim, 1), 0);
	ck_assert_int_eq(pt(m.t, PS_PT_WRITE_D, m.c, (void *)(uintptr_t)(RO_PAGE + 0x100), 7, NULL),
	                 PS_ENOMEM);
	/* Reads are not debugger writes: the injection stays for the next write. */
	ck_assert_int_eq(ps_ptrace_inject_enomem(t_sim, 1), 0);
	ck_assert_int_eq(peek(m.t, m.c, RO_PAGE + 0x100), 0);
	ck_assert_int_eq(pt(m.t, PS_PT_WRITE_D, m.c, (void *)(uintptr_t)(RWX_PAGE + 0x100), 7, NULL),
	                 PS_ENOMEM);
	ck_assert_uint_eq(ptinfo(m.c).icache_syncs, 0);
	ck_assert_int_eq(pt(m.t, PS_PT_WRITE_D, m.c, (void *)(uintptr_t)(RO_PAGE + 0x100), 7, NULL),
	                 0);
	ck_assert_int_eq(peek(m.t, m.c, RO_PAGE + 0x100), 7);
	ck_assert_int_eq(ps_ptrace_inject_enomem(t_sim, 0), 0);
}
END_TEST

/* §1.8 (documented divergence): piod_len >= 2^32 is refused with EINVAL
 * before anything moves. */
START_TEST(io_len_2_32_refused)
{
	struct memt m = mem_target();
	uint8_t buf[16];

	memset(buf, 0xee, sizeof(buf));
	ck_assert_int_eq(io(m.t, m.c, PS_PIOD_READ_D, m.data, buf, (uint64_t)1 << 32, NULL),
	                 PS_EINVAL);
	ck_assert_int_eq(io(m.t, m.c, PS_PIOD_READ_D, m.data, buf, ((uint64_t)1 << 32) + 8, NULL),
	                 PS_EINVAL);
	for (int i = 0; i < 16; i++)
		ck_assert_uint_eq(buf[i], 0xee);
	ck_assert_int_eq(io(m.t, m.c, PS_PIOD_WRITE_D, m.data, buf, ((uint64_t)1 << 32) + 8, NULL),
	                 PS_EINVAL);
	{
		uint8_t back[16];

		mem(m.c, m.data, back, 16);
		ck_assert_mem_eq(back, PAT, 16);
	}
	/* 2^32 - 1 is not refused: it moves the two mapped pages of A and
	 * faults at the hole. */
	{
		uint8_t *big = malloc(0x2000);

		ck_assert_ptr_nonnull(big);
		memset(big, 0xee, 0x2000);
		ck_assert_int_eq(io(m.t, m.c, PS_PIOD_READ_D, A_BASE, big, 0xffffffffull, NULL),
		                 PS_EFAULT);
		for (uint64_t i = 0; i < 0x2000; i++)
			ck_assert_uint_eq(big[i], anon_byte(i));
		free(big);
	}
}
END_TEST

/* An icache recorder on one process's map (vmspace_set_icache_hook). */
#define SYNC_MAX 16
static struct {
	size_t n;
	uint64_t va[SYNC_MAX];
	size_t len[SYNC_MAX];
} syncs;

static void
record_sync(void *arg, uint64_t va, size_t len)
{
	(void)arg;
	if (syncs.n < SYNC_MAX) {
		syncs.va[syncs.n] = va;
		syncs.len[syncs.n] = len;
	}
	syncs.n++;
}

static void
hook_syncs(int32_t pid)
{
	struct proc *p = pfind_any_nolock(ps__kernel(t_sim), pid);

	ck_assert_ptr_nonnull(p);
	memset(&syncs, 0, sizeof(syncs));
	vmspace_set_icache_hook(p->p_vmspace, record_sync, NULL);
}

/* §1.5 and invariant 15: one sync per successfully written chunk whose whole
 * page is executable, with that chunk's own address and length; none for
 * reads, data pages or failed chunks.  A write spanning the last text page
 * and the first data page syncs the text chunk only. */
START_TEST(icache_sync_per_executable_chunk)
{
	struct memt m = mem_target();
	uint8_t buf[8] = { 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88 }, back[8];

	hook_syncs(m.c);
	ck_assert_uint_eq(m.data, TEXT_BASE + PAGE_SIZE); /* One page of text. */
	/* S28's breakpoint: (never, 4). */
	ck_assert_int_eq(pt(m.t, PS_PT_WRITE_I, m.c, (void *)(uintptr_t)m.never, BRK_WORD, NULL), 0);
	ck_assert_uint_eq(syncs.n, 1);
	ck_assert_uint_eq(syncs.va[0], m.never);
	ck_assert_uint_eq(syncs.len[0], 4);
	/* Text tail + data head: the text chunk (data - 4, 4) only. */
	ck_assert_int_eq(io(m.t, m.c, PS_PIOD_WRITE_I, m.data - 4, buf, 8, NULL), 0);
	ck_assert_uint_eq(syncs.n, 2);
	ck_assert_uint_eq(syncs.va[1], m.data - 4);
	ck_assert_uint_eq(syncs.len[1], 4);
	ck_assert_int_eq(io(m.t, m.c, PS_PIOD_READ_D, m.data - 4, back, 8, NULL), 0);
	ck_assert_mem_eq(back, buf, 8);
	/* An rwx anonymous page is executable: synced. */
	ck_assert_int_eq(io(m.t, m.c, PS_PIOD_WRITE_D, RWX_PAGE + 0x20, buf, 8, NULL), 0);
	ck_assert_uint_eq(syncs.n, 3);
	ck_assert_uint_eq(syncs.va[2], RWX_PAGE + 0x20);
	ck_assert_uint_eq(syncs.len[2], 8);
	/* Data, a read-only page, reads, a failed write: nothing. */
	ck_assert_int_eq(io(m.t, m.c, PS_PIOD_WRITE_D, m.data + 8, buf, 8, NULL), 0);
	ck_assert_int_eq(io(m.t, m.c, PS_PIOD_WRITE_D, RO_PAGE, buf, 8, NULL), 0);
	ck_assert_int_eq(io(m.t, m.c, PS_PIOD_READ_I, TEXT_BASE, back, 8, NULL), 0);
	ck_assert_int_eq(peek(m.t, m.c, RWX_PAGE), 0);
	ck_assert_int_eq(io(m.t, m.c, PS_PIOD_WRITE_D, A_BASE + 0x1ffc, buf, 8, NULL), PS_EFAULT);
	ck_assert_int_eq(io(m.t, m.c, PS_PIOD_WRITE_I, SHARED_PAGE, buf, 8, NULL), PS_EFAULT);
	ck_assert_uint_eq(syncs.n, 3);
	/* A zero-length write into text is a successful chunk of length 0. */
	ck_assert_int_eq(io(m.t, m.c, PS_PIOD_WRITE_I, m.never, buf, 0, NULL), 0);
	ck_assert_uint_eq(syncs.n, 4);
	ck_assert_uint_eq(syncs.va[3], m.never);
	ck_assert_uint_eq(syncs.len[3], 0);
	ck_assert_uint_eq(ptinfo(m.c).icache_syncs, 4);
}
END_TEST

/* E3, invariant 12 (001:972, 001:1041): every write-type request sets
 * TDB_USERWR on td2 before the transfer, whatever its outcome; reads and a
 * bad piod_op do not. */
START_TEST(e3_userwr_even_on_failed_writes)
{
	struct memt m = mem_target();
	uint8_t b[4] = { 0 };

	ck_assert_int_eq(pt(m.t, PS_PT_READ_D, m.c, (void *)(uintptr_t)A_HOLE, 0, NULL), PS_EFAULT);
	ck_assert_int_eq(io(m.t, m.c, PS_PIOD_READ_D, A_HOLE, b, 4, NULL), PS_EFAULT);
	ck_assert_int_eq(io(m.t, m.c, 5, m.data, b, 4, NULL), PS_EINVAL);
	ck_assert_uint_eq(dbgflags(m.td) & PS_TDB_USERWR, 0);
	ck_assert_int_eq(pt(m.t, PS_PT_WRITE_I, m.c, (void *)(uintptr_t)A_HOLE, 1, NULL), PS_EFAULT);
	ck_assert_uint_eq(dbgflags(m.td), PS_TDB_XSIG | PS_TDB_USERWR);
}
END_TEST

/* E3 through PT_IO alone: a failing PIOD_WRITE_I sets the flag too. */
START_TEST(e3_userwr_on_failed_io_write)
{
	struct memt m = mem_target();
	uint8_t b[4] = { 0 };

	ck_assert_int_eq(io(m.t, m.c, PS_PIOD_WRITE_I, A_HOLE, b, 4, NULL), PS_EFAULT);
	ck_assert_uint_eq(dbgflags(m.td) & PS_TDB_USERWR, PS_TDB_USERWR);
}
END_TEST

/* ====================================================================== */
/* S37-S40: information requests                                            */
/* ====================================================================== */

/* S38 (§2, 001:350-431): PT_VM_ENTRY walks the map in address order with
 * pve_entry 1..N, pve_end inclusive, current protections, VNOVAL ids without
 * a path request; then N -> ENOENT, N+1 and -1 -> EINVAL with the structure
 * unchanged.  Paths: program text and data are /bin/mem (fileid 1, fsid
 * 0x70730000); a buffer one byte short is ENAMETOOLONG and changes nothing;
 * anonymous and shared entries report no path. */
START_TEST(s38_vm_entry_iteration)
{
	struct memt m = mem_target();
	const struct {
		uint64_t start, last;
		uint32_t prot;
	} ex[] = {
		{ TEXT_BASE, TEXT_BASE + 0xfff, 5 }, { m.data, m.data + 0xfff, 3 },
		{ A_BASE, A_BASE + 0x1fff, 3 },      { B_NONE, B_NONE + 0xfff, 0 },
		{ RO_PAGE, RO_PAGE + 0xfff, 1 },     { XO_PAGE, XO_PAGE + 0xfff, 4 },
		{ RWX_PAGE, RWX_PAGE + 0xfff, 7 },   { Z_BASE, Z_BASE + 0x1fff, 3 },
		{ STACK_BOT, SHARED_PAGE - 1, 3 },   { SHARED_PAGE, SHARED_PAGE + 0xfff, 5 },
	};
	const int n = (int)(sizeof(ex) / sizeof(ex[0]));
	struct ps_ptrace_vm_entry e, saved;
	char path[256];
	int ts = 0;

	ck_assert_int_eq(pt(m.t, PS_PT_VM_TIMESTAMP, m.c, NULL, 0, &ts), 0);
	memset(&e, 0, sizeof(e));
	for (int i = 0; i < n; i++) {
		e.pve_pathlen = 0;
		ck_assert_int_eq(pt(m.t, PS_PT_VM_ENTRY, m.c, &e, 0, NULL), 0);
		ck_assert_int_eq(e.pve_entry, i + 1);
		ck_assert_int_eq(e.pve_timestamp, ts);
		ck_assert_uint_eq(e.pve_start, ex[i].start);
		ck_assert_uint_eq(e.pve_end, ex[i].last);
		ck_assert_uint_eq(e.pve_offset, 0);
		ck_assert_uint_eq(e.pve_prot, ex[i].prot);
		ck_assert_uint_eq(e.pve_pathlen, 0);
		ck_assert_int_eq(e.pve_fileid, PS_VNOVAL);
		ck_assert_uint_eq(e.pve_fsid, (uint32_t)PS_VNOVAL);
	}
	saved = e;
	ck_assert_int_eq(pt(m.t, PS_PT_VM_ENTRY, m.c, &e, 0, NULL), PS_ENOENT);
	same_pve(&e, &saved);
	e.pve_entry = n + 1;
	saved = e;
	ck_assert_int_eq(pt(m.t, PS_PT_VM_ENTRY, m.c, &e, 0, NULL), PS_EINVAL);
	same_pve(&e, &saved);
	e.pve_entry = -1;
	ck_assert_int_eq(pt(m.t, PS_PT_VM_ENTRY, m.c, &e, 0, NULL), PS_EINVAL);
	ck_assert_int_eq(e.pve_entry, -1);

	/* The text entry with a path buffer. */
	memset(&e, 0, sizeof(e));
	memset(path, 'x', sizeof(path));
	e.pve_pathlen = sizeof(path);
	e.pve_path = path;
	ck_assert_int_eq(pt(m.t, PS_PT_VM_ENTRY, m.c, &e, 0, NULL), 0);
	ck_assert_int_eq(e.pve_entry, 1);
	ck_assert_uint_eq(e.pve_pathlen, strlen("/bin/mem") + 1);
	ck_assert_str_eq(path, "/bin/mem");
	ck_assert_uint_eq((uint8_t)path[9], 'x');
	ck_assert_int_eq(e.pve_fileid, 1);
	ck_assert_uint_eq(e.pve_fsid, 0x70730000u);
	ck_assert_uint_eq(e.pve_offset, 0);
	ck_assert_uint_eq(e.pve_start, TEXT_BASE);
	/* The data entry: the same file. */
	e.pve_pathlen = sizeof(path);
	ck_assert_int_eq(pt(m.t, PS_PT_VM_ENTRY, m.c, &e, 0, NULL), 0);
	ck_assert_int_eq(e.pve_entry, 2);
	ck_assert_uint_eq(e.pve_start, m.data);
	ck_assert_uint_eq(e.pve_pathlen, 9);
	ck_assert_int_eq(e.pve_fileid, 1);
	/* Exactly strlen + 1 fits (the capacity counts the NUL); one less not. */
	memset(&e, 0, sizeof(e));
	e.pve_pathlen = 9;
	e.pve_path = path;
	ck_assert_int_eq(pt(m.t, PS_PT_VM_ENTRY, m.c, &e, 0, NULL), 0);
	memset(&e, 0, sizeof(e));
	memset(path, 'y', sizeof(path));
	e.pve_pathlen = 8;
	e.pve_path = path;
	saved = e;
	ck_assert_int_eq(pt(m.t, PS_PT_VM_ENTRY, m.c, &e, 0, NULL), PS_ENAMETOOLONG);
	same_pve(&e, &saved);
	e.pve_pathlen = 3;
	saved = e;
	ck_assert_int_eq(pt(m.t, PS_PT_VM_ENTRY, m.c, &e, 0, NULL), PS_ENAMETOOLONG);
	same_pve(&e, &saved);
	ck_assert_int_eq(e.pve_entry, 0);
	ck_assert_uint_eq(e.pve_pathlen, 3);
	ck_assert_uint_eq((uint8_t)path[0], 'y');
	/* An anonymous entry and the shared page with a path buffer: no path. */
	for (int i = 2; i < n; i++) {
		memset(&e, 0, sizeof(e));
		e.pve_entry = i;
		e.pve_pathlen = sizeof(path);
		e.pve_path = path;
		ck_assert_int_eq(pt(m.t, PS_PT_VM_ENTRY, m.c, &e, 0, NULL), 0);
		ck_assert_uint_eq(e.pve_start, ex[i].start);
		ck_assert_uint_eq(e.pve_pathlen, 0);
		ck_assert_int_eq(e.pve_fileid, PS_VNOVAL);
		ck_assert_uint_eq(e.pve_fsid, (uint32_t)PS_VNOVAL);
	}
	ck_assert_uint_eq((uint8_t)path[0], 'y');
	/* The path buffer faults: EFAULT.  No structure: EFAULT. */
	memset(&e, 0, sizeof(e));
	e.pve_pathlen = sizeof(path);
	saved = e;
	ck_assert_int_eq(pt(m.t, PS_PT_VM_ENTRY, m.c, &e, 0, NULL), PS_EFAULT);
	same_pve(&e, &saved);
	ck_assert_int_eq(pt(m.t, PS_PT_VM_ENTRY, m.c, NULL, 0, NULL), PS_EFAULT);
}
END_TEST

/* S39 (001:1178-1180, 001:372; docs/memory.md §7): PT_VM_TIMESTAMP is the
 * map's timestamp; after the tracee maps a page and is stopped again it is
 * one more, and PT_VM_ENTRY reports the new value.  The debugger's own
 * write does not move it (docs/memory.md §6). */
START_TEST(s39_map_timestamp)
{
	struct memt m = mem_target();
	struct ps_mem_info mi;
	struct ps_ptrace_vm_entry e;
	int t0 = 0, t1 = 0;

	ck_assert_int_eq(pt(m.t, PS_PT_VM_TIMESTAMP, m.c, NULL, 0, &t0), 0);
	ck_assert_int_eq(ps_mem_info(t_sim, m.c, &mi), 0);
	ck_assert_uint_eq((uint32_t)t0, mi.timestamp);
	ck_assert_uint_eq((uint32_t)t0, ptinfo(m.c).vm_timestamp);
	ck_assert_int_gt(t0, 4);
	ck_assert_int_eq(pt(m.t, PS_PT_WRITE_D, m.c, (void *)(uintptr_t)m.cmd, 1, NULL), 0);
	ck_assert_int_eq(pt(m.t, PS_PT_VM_TIMESTAMP, m.c, NULL, 0, &t1), 0);
	ck_assert_int_eq(t1, t0);
	ck_assert_int_eq(pt(m.t, PS_PT_CONTINUE, m.c, PS_PT_ADDR_SAME, 0, NULL), 0);
	run_ns(100000);
	ck_assert_uint_eq(mem64(m.c, m.last), NEW_MAP);
	ck_assert_int_eq(ps_kill(t_sim, m.t, m.c, PS_SIGSTOP), 0);
	collect_stop(m.t, m.c, PS_SIGSTOP);
	ck_assert_int_eq(pt(m.t, PS_PT_VM_TIMESTAMP, m.c, NULL, 0, &t1), 0);
	ck_assert_int_eq(t1, t0 + 1);
	memset(&e, 0, sizeof(e));
	e.pve_entry = 8; /* After text, data, A, B, RO, XO, RWX, Z. */
	ck_assert_int_eq(pt(m.t, PS_PT_VM_ENTRY, m.c, &e, 0, NULL), 0);
	ck_assert_uint_eq(e.pve_start, NEW_MAP);
	ck_assert_uint_eq(e.pve_end, NEW_MAP + 0xfff);
	ck_assert_int_eq(e.pve_entry, 9);
	ck_assert_int_eq(e.pve_timestamp, t1);
}
END_TEST

/* S40 (001:776-795, 001:1193-1203): request 24 (PT_LWP_EVENTS of later
 * releases) and 64 (PT_FIRSTMACH) pass the default checks first: EPERM on
 * an untraced process, EBUSY for a non-tracer or a running tracee, EINVAL
 * on a stopped+waited tracee. */
START_TEST(s40_unknown_requests)
{
	struct memt m = mem_target();
	int32_t d = spawn("mem", NULL), u = t_fork(t_sim, 1);

	ck_assert_int_eq(pt(m.t, 24, d, NULL, 1, NULL), PS_EPERM);
	ck_assert_int_eq(pt(m.t, 64, d, NULL, 0, NULL), PS_EPERM);
	ck_assert_int_eq(pt(m.t, 3, d, NULL, 0, NULL), PS_EPERM);
	ck_assert_int_eq(pt(u, 24, m.c, NULL, 1, NULL), PS_EBUSY);
	ck_assert_int_eq(pt(m.t, 24, m.c, NULL, 1, NULL), PS_EINVAL);
	ck_assert_int_eq(pt(m.t, 64, m.c, NULL, 0, NULL), PS_EINVAL);
	ck_assert_int_eq(pt(m.t, 6, m.c, NULL, 0, NULL), PS_EINVAL);
	ck_assert_int_eq(pt(m.t, 27, m.c, NULL, 0, NULL), PS_EINVAL);
	ck_assert_int_eq(pt(m.t, PS_PT_CONTINUE, m.c, PS_PT_ADDR_SAME, 0, NULL), 0);
	ck_assert_int_eq(pt(m.t, 24, m.c, NULL, 1, NULL), PS_EBUSY);
	ck_assert_int_eq(pt(m.t, 64, m.c, NULL, 0, NULL), PS_EBUSY);
}
END_TEST

/* S37 and §4 D5/D6, for one revision: PT_LWPINFO at a SIGUSR1 stop and at
 * a syscall entry stop.  Sizes: 0, negative and one past the revision's
 * structure are EINVAL; exactly data bytes are written; PL_FLAG_SI needs
 * the whole pl_siginfo; pl_syscall_code/narg exist in rev B only. */
static void
lwpinfo_case(int rev)
{
	const size_t lim = rev == PS_PTRACE_REV_A ? PS_PT_LWPINFO_SIZE_A : PS_PT_LWPINFO_SIZE_B;
	const size_t si_off = offsetof(struct ps_ptrace_lwpinfo, pl_siginfo);
	const size_t si_end = si_off + sizeof(struct ps_siginfo);
	struct ps_config cfg = t_config();
	struct ps_ptrace_lwpinfo pl;
	struct memt m;
	int32_t u;
	uint8_t *raw = (uint8_t *)&pl;

	cfg.ptrace_rev = (uint8_t)rev;
	t_replace_sim(&cfg);
	m = mem_target();
	u = t_fork(t_sim, 1);
	ck_assert_int_eq(pt(m.t, PS_PT_CONTINUE, m.c, PS_PT_ADDR_SAME, 0, NULL), 0);
	run_ns(50000);
	ck_assert_int_eq(ps_kill(t_sim, u, m.c, PS_SIGUSR1), 0);
	collect_stop(m.t, m.c, PS_SIGUSR1);

	ck_assert_int_eq(pt(m.t, PS_PT_LWPINFO, m.c, &pl, 0, NULL), PS_EINVAL);
	ck_assert_int_eq(pt(m.t, PS_PT_LWPINFO, m.c, &pl, -1, NULL), PS_EINVAL);
	ck_assert_int_eq(pt(m.t, PS_PT_LWPINFO, m.c, &pl, (int)lim + 1, NULL), PS_EINVAL);
	if (rev == PS_PTRACE_REV_A)
		ck_assert_int_eq(pt(m.t, PS_PT_LWPINFO, m.c, &pl, (int)PS_PT_LWPINFO_SIZE_B, NULL),
		                 PS_EINVAL);
	/* Up to pl_siginfo: no PL_FLAG_SI, nothing written past data. */
	memset(&pl, 0xab, sizeof(pl));
	ck_assert_int_eq(pt(m.t, PS_PT_LWPINFO, m.c, &pl, (int)si_off, NULL), 0);
	ck_assert_int_eq(pl.pl_lwpid, m.td);
	ck_assert_int_eq(pl.pl_event, PS_PL_EVENT_SIGNAL);
	ck_assert_int_eq(pl.pl_flags, 0);
	for (size_t i = si_off; i < sizeof(pl); i++)
		ck_assert_uint_eq(raw[i], 0xab);
	/* One byte short of the whole siginfo: still no PL_FLAG_SI. */
	memset(&pl, 0xab, sizeof(pl));
	ck_assert_int_eq(pt(m.t, PS_PT_LWPINFO, m.c, &pl, (int)si_end - 1, NULL), 0);
	ck_assert_int_eq(pl.pl_flags, 0);
	ck_assert_uint_eq(raw[si_end - 2], 0);
	ck_assert_uint_eq(raw[si_end - 1], 0xab);
	/* The whole structure of the revision. */
	memset(&pl, 0xab, sizeof(pl));
	ck_assert_int_eq(pt(m.t, PS_PT_LWPINFO, m.c, &pl, (int)lim, NULL), 0);
	ck_assert_int_eq(pl.pl_lwpid, m.td);
	ck_assert_int_eq(pl.pl_event, PS_PL_EVENT_SIGNAL);
	ck_assert_int_eq(pl.pl_flags, PS_PL_FLAG_SI);
	ck_assert_int_eq(pl.pl_siginfo.signo, PS_SIGUSR1);
	ck_assert_int_eq(pl.pl_siginfo.code, PS_SI_USER);
	/* (si_pid: procsim's kill queues no siginfo record, wait.h; not
	 * asserted.) */
	ck_assert_uint_eq(pl.pl_sigmask, 0);
	ck_assert_uint_eq(pl.pl_siglist, 0);
	ck_assert_str_eq(pl.pl_tdname, "mem");
	ck_assert_int_eq(pl.pl_child_pid, 0);
	if (rev == PS_PTRACE_REV_B) {
		ck_assert_uint_eq(pl.pl_syscall_code, 0);
		ck_assert_uint_eq(pl.pl_syscall_narg, 0);
	} else {
		for (size_t i = lim; i < sizeof(pl); i++)
			ck_assert_uint_eq(raw[i], 0xab);
	}
	/* Discard SIGUSR1, ask for the next syscall entry: the mmap. */
	ck_assert_int_eq(pt(m.t, PS_PT_WRITE_D, m.c, (void *)(uintptr_t)m.cmd, 1, NULL), 0);
	ck_assert_int_eq(pt(m.t, PS_PT_TO_SCE, m.c, PS_PT_ADDR_SAME, 0, NULL), 0);
	collect_stop(m.t, m.c, PS_SIGTRAP);
	memset(&pl, 0xab, sizeof(pl));
	ck_assert_int_eq(pt(m.t, PS_PT_LWPINFO, m.c, &pl, (int)lim, NULL), 0);
	ck_assert_int_eq(pl.pl_event, PS_PL_EVENT_SIGNAL);
	ck_assert_int_eq(pl.pl_flags, PS_PL_FLAG_SCE);
	ck_assert_int_eq(pl.pl_siginfo.signo, 0);
	if (rev == PS_PTRACE_REV_B) {
		ck_assert_uint_eq(pl.pl_syscall_code, PS_SYSNO_mmap);
		ck_assert_uint_eq(pl.pl_syscall_narg, 4);
	} else {
		for (size_t i = lim; i < sizeof(pl); i++)
			ck_assert_uint_eq(raw[i], 0xab);
	}
	/* PT_LWPINFO is read-only: the stop is still there, and SIGUSR1 was
	 * discarded (the process lives on). */
	ck_assert_uint_eq(ptinfo(m.c).flags & (PS_P_STOPPED_TRACE | PS_P_WAITED),
	                  PS_P_STOPPED_TRACE | PS_P_WAITED);
	ck_assert_int_eq(t_state(t_sim, m.c), PS_PRS_NORMAL);
	ck_assert_uint_eq(mem64(m.c, m.last), 0);
}

START_TEST(s37_lwpinfo_rev_b)
{
	lwpinfo_case(PS_PTRACE_REV_B);
}
END_TEST

START_TEST(s37_lwpinfo_rev_a)
{
	lwpinfo_case(PS_PTRACE_REV_A);
}
END_TEST

/* ====================================================================== */
/* S33-S36: threads                                                         */
/* ====================================================================== */

/* Three threads, each incrementing its own counter; the second executes a
 * brk at `bp` while `go` is set. */
static const char THR_PROG[] =
	"start:  sys thr_new t2, stk2, 0\n"
	"        st r0, [tid2]\n"
	"        sys thr_new t3, stk3, 0\n"
	"        st r0, [tid3]\n"
	"t1:     ld r1, [c1]\n"
	"        add r1, r1, 1\n"
	"        st r1, [c1]\n"
	"        work 20\n"
	"        b t1\n"
	"t2:     ld r1, [go]\n"
	"        beqz r1, t2cnt\n"
	"bp:     brk\n"
	"t2cnt:  ld r1, [c2]\n"
	"        add r1, r1, 1\n"
	"        st r1, [c2]\n"
	"        work 20\n"
	"        b t2\n"
	"t3:     ld r1, [c3]\n"
	"        add r1, r1, 1\n"
	"        st r1, [c3]\n"
	"        work 20\n"
	"        b t3\n"
	"        .data\n"
	"        .align 16\n"
	"c1:     .quad 0\n"
	"c2:     .quad 0\n"
	"c3:     .quad 0\n"
	"go:     .quad 0\n"
	"tid2:   .quad 0\n"
	"tid3:   .quad 0\n"
	"        .space 1024\n"
	"stk2:   .space 1024\n"
	"stk3:   .quad 0\n";

struct thrt {
	int32_t c, t, tid[3];
	uint64_t cnt[3], go, bp, t1, t2;
};

static struct thrt
thr_target(void)
{
	struct ps_config cfg = t_config();
	struct thrt h;
	size_t n = 0;

	cfg.quantum_ns = 20000;
	t_replace_sim(&cfg);
	add_prog("thr", THR_PROG);
	h.c = spawn("thr", NULL);
	h.t = t_fork(t_sim, 1);
	h.cnt[0] = sym("thr", "c1");
	h.cnt[1] = sym("thr", "c2");
	h.cnt[2] = sym("thr", "c3");
	h.go = sym("thr", "go");
	h.bp = sym("thr", "bp");
	h.t1 = sym("thr", "t1");
	h.t2 = sym("thr", "t2");
	run_ns(300000);
	ck_assert_int_eq(ps_proc_threads(t_sim, h.c, h.tid, 3, &n), 0);
	ck_assert_uint_eq(n, 3);
	ck_assert_uint_eq(mem64(h.c, sym("thr", "tid2")), (uint64_t)h.tid[1]);
	ck_assert_uint_eq(mem64(h.c, sym("thr", "tid3")), (uint64_t)h.tid[2]);
	for (int i = 0; i < 3; i++)
		ck_assert_uint_gt(mem64(h.c, h.cnt[i]), 0);
	attach(h.t, h.c);
	return h;
}

static void
counters(const struct thrt *h, uint64_t v[3])
{
	for (int i = 0; i < 3; i++)
		v[i] = mem64(h->c, h->cnt[i]);
}

/* S33 (001:859-868, §3.5.4 [EXT]): a PT_SUSPENDed thread does not run
 * after PT_CONTINUE while the others do; PT_RESUME lets it run again; both
 * succeed whatever the flag's state; on a running tracee PT_SUSPEND is
 * EBUSY.  (The invariant checker allows a thread suspended in a running
 * process only when its debugger suspended it.) */
START_TEST(s33_suspend_one_thread)
{
	struct thrt h = thr_target();
	uint64_t v0[3], v1[3], v2[3];
	int32_t t2 = h.tid[1];

	ck_assert_int_eq(ptinfo(h.c).xthread, h.tid[0]);
	ck_assert_int_eq(pt(h.t, PS_PT_SUSPEND, t2, NULL, 0, NULL), 0);
	ck_assert_uint_eq(dbgflags(t2) & PS_TDB_SUSPEND, PS_TDB_SUSPEND);
	ck_assert_uint_eq(dbgflags(h.tid[0]) & PS_TDB_SUSPEND, 0);
	ck_assert_int_eq(pt(h.t, PS_PT_SUSPEND, t2, NULL, 0, NULL), 0); /* Again: 0. */
	counters(&h, v0);
	ck_assert_int_eq(pt(h.t, PS_PT_CONTINUE, h.c, PS_PT_ADDR_SAME, 0, NULL), 0);
	run_ns(1000000);
	counters(&h, v1);
	ck_assert_uint_gt(v1[0], v0[0]);
	ck_assert_uint_eq(v1[1], v0[1]);
	ck_assert_uint_gt(v1[2], v0[2]);
	ck_assert_int_eq(pt(h.t, PS_PT_SUSPEND, t2, NULL, 0, NULL), PS_EBUSY);
	ck_assert_int_eq(ps_kill(t_sim, h.t, h.c, PS_SIGSTOP), 0);
	collect_stop(h.t, h.c, PS_SIGSTOP);
	counters(&h, v1);
	ck_assert_uint_eq(v1[1], v0[1]);
	ck_assert_uint_eq(dbgflags(t2) & PS_TDB_SUSPEND, PS_TDB_SUSPEND);
	ck_assert_int_eq(pt(h.t, PS_PT_RESUME, t2, NULL, 0, NULL), 0);
	ck_assert_uint_eq(dbgflags(t2) & PS_TDB_SUSPEND, 0);
	ck_assert_int_eq(pt(h.t, PS_PT_RESUME, t2, NULL, 0, NULL), 0); /* Not suspended: 0. */
	ck_assert_int_eq(pt(h.t, PS_PT_RESUME, h.tid[2], NULL, 0, NULL), 0);
	ck_assert_int_eq(pt(h.t, PS_PT_CONTINUE, h.c, PS_PT_ADDR_SAME, 0, NULL), 0);
	run_ns(1000000);
	counters(&h, v2);
	for (int i = 0; i < 3; i++)
		ck_assert_uint_gt(v2[i], v1[i]);
}
END_TEST

/* S33 (001:859-868): PT_SUSPEND and PT_RESUME only set and clear the flag,
 * succeed whatever its state, and need a stopped+waited tracee. */
START_TEST(s33_suspend_resume_flag_only)
{
	struct thrt h = thr_target();
	int32_t t2 = h.tid[1];

	ck_assert_int_eq(pt(h.t, PS_PT_RESUME, t2, NULL, 0, NULL), 0); /* Not suspended: 0. */
	ck_assert_uint_eq(dbgflags(t2) & PS_TDB_SUSPEND, 0);
	ck_assert_int_eq(pt(h.t, PS_PT_SUSPEND, t2, NULL, 0, NULL), 0);
	ck_assert_int_eq(pt(h.t, PS_PT_SUSPEND, t2, NULL, 0, NULL), 0);
	ck_assert_uint_eq(dbgflags(t2) & PS_TDB_SUSPEND, PS_TDB_SUSPEND);
	ck_assert_uint_eq(dbgflags(h.tid[0]) & PS_TDB_SUSPEND, 0);
	ck_assert_uint_eq(dbgflags(h.tid[2]) & PS_TDB_SUSPEND, 0);
	/* Still stopped and waited: neither resumed anything. */
	ck_assert_uint_eq(ptinfo(h.c).flags & (PS_P_STOPPED_TRACE | PS_P_WAITED),
	                  PS_P_STOPPED_TRACE | PS_P_WAITED);
	ck_assert_int_eq(pt(h.t, PS_PT_RESUME, t2, NULL, 0, NULL), 0);
	ck_assert_uint_eq(dbgflags(t2) & PS_TDB_SUSPEND, 0);
	/* By pid: the reporting thread. */
	ck_assert_int_eq(pt(h.t, PS_PT_SUSPEND, h.c, NULL, 0, NULL), 0);
	ck_assert_uint_eq(dbgflags(ptinfo(h.c).xthread) & PS_TDB_SUSPEND, PS_TDB_SUSPEND);
	ck_assert_int_eq(pt(h.t, PS_PT_RESUME, h.c, NULL, 0, NULL), 0);
	ck_assert_uint_eq(dbgflags(ptinfo(h.c).xthread) & PS_TDB_SUSPEND, 0);
	/* Running: EBUSY, flag untouched. */
	ck_assert_int_eq(pt(h.t, PS_PT_CONTINUE, h.c, PS_PT_ADDR_SAME, 0, NULL), 0);
	ck_assert_int_eq(pt(h.t, PS_PT_SUSPEND, t2, NULL, 0, NULL), PS_EBUSY);
	ck_assert_int_eq(pt(h.t, PS_PT_RESUME, t2, NULL, 0, NULL), PS_EBUSY);
	ck_assert_uint_eq(dbgflags(t2) & PS_TDB_SUSPEND, 0);
}
END_TEST

/* A.5 (10.x, 004:426-438): a tracer that exits while its running tracee
 * has a PT_SUSPENDed thread clears TDB_SUSPEND on every thread, so the
 * thread runs again in the untraced process (no thread stays suspended in
 * a running process: checker S8/T4), and the SIGKILL ends it. */
START_TEST(tracer_exit_releases_suspended_thread)
{
	struct thrt h = thr_target();
	struct ps_thread_dbg td;
	int st = 0;

	ck_assert_int_eq(pt(h.t, PS_PT_SUSPEND, h.tid[1], NULL, 0, NULL), 0);
	ck_assert_int_eq(pt(h.t, PS_PT_CONTINUE, h.c, PS_PT_ADDR_SAME, 0, NULL), 0);
	run_ns(100000);
	ck_assert_int_eq(ps_thread_dbg(t_sim, h.tid[1], &td), 0);
	ck_assert_int_eq(td.suspended, 1);
	ck_assert_int_eq(ps_exit(t_sim, h.t, 0), 0);
	ck_assert_int_eq(ps_thread_dbg(t_sim, h.tid[1], &td), 0);
	ck_assert_uint_eq(td.dbgflags & PS_TDB_SUSPEND, 0);
	ck_assert_int_eq(td.suspended, 0);
	run_ns(1000000);
	/* Killed by the SIGKILL; init reaps it first and, p_oppid still set in
	 * the 2008 exit, gives the zombie back to its shell, which reaps it. */
	struct ps_proc_info pi;

	ck_assert_int_eq(ps_pfind(t_sim, h.c), PS_ESRCH);
	ck_assert_int_eq(ps_zpfind(t_sim, h.c), 0);
	ck_assert_int_eq(ps_proc_info(t_sim, h.c, &pi), 0);
	ck_assert_int_ne(pi.pptr, 1);
	ck_assert_int_eq(ps_wait(t_sim, pi.pptr, h.c, 0, &st), h.c);
	ck_assert(PS_WIFSIGNALED(st));
	ck_assert_int_eq(PS_WTERMSIG(st), PS_SIGKILL);
}
END_TEST

/* S33 variant (001:949-952): PT_DETACH clears TDB_SUSPEND on every thread,
 * and the suspended thread runs. */
START_TEST(s33_detach_clears_suspend)
{
	struct thrt h = thr_target();
	uint64_t v0[3], v1[3];

	ck_assert_int_eq(pt(h.t, PS_PT_SUSPEND, h.tid[1], NULL, 0, NULL), 0);
	ck_assert_int_eq(pt(h.t, PS_PT_SUSPEND, h.tid[2], NULL, 0, NULL), 0);
	counters(&h, v0);
	ck_assert_int_eq(pt(h.t, PS_PT_DETACH, h.c, PS_PT_ADDR_SAME, 0, NULL), 0);
	for (int i = 0; i < 3; i++)
		ck_assert_uint_eq(dbgflags(h.tid[i]) & PS_TDB_SUSPEND, 0);
	ck_assert_uint_eq(ptinfo(h.c).flags & PS_P_TRACED, 0);
	run_ns(1000000);
	counters(&h, v1);
	for (int i = 0; i < 3; i++)
		ck_assert_uint_gt(v1[i], v0[i]);
}
END_TEST

/* S34 (001:1151-1176): PT_GETNUMLWPS is the thread count; PT_GETLWPLIST
 * refuses data <= 0, truncates silently to data entries in creation order,
 * returns the number stored, and faults on a NULL buffer. */
START_TEST(s34_lwp_count_and_list)
{
	struct thrt h = thr_target();
	int32_t buf[8];
	int rv = 0;

	ck_assert_int_lt(h.tid[0], h.tid[1]);
	ck_assert_int_lt(h.tid[1], h.tid[2]);
	ck_assert_int_gt(h.tid[0], PS_PID_MAX_DEFAULT);
	ck_assert_int_eq(pt(h.t, PS_PT_GETNUMLWPS, h.c, NULL, 0, &rv), 0);
	ck_assert_int_eq(rv, 3);
	memset(buf, 0x7f, sizeof(buf));
	ck_assert_int_eq(pt(h.t, PS_PT_GETLWPLIST, h.c, buf, 0, NULL), PS_EINVAL);
	ck_assert_int_eq(pt(h.t, PS_PT_GETLWPLIST, h.c, buf, -1, NULL), PS_EINVAL);
	ck_assert_int_eq(buf[0], 0x7f7f7f7f);
	ck_assert_int_eq(pt(h.t, PS_PT_GETLWPLIST, h.c, buf, 2, &rv), 0);
	ck_assert_int_eq(rv, 2);
	ck_assert_int_eq(buf[0], h.tid[0]);
	ck_assert_int_eq(buf[1], h.tid[1]);
	ck_assert_int_eq(buf[2], 0x7f7f7f7f);
	ck_assert_int_eq(pt(h.t, PS_PT_GETLWPLIST, h.c, buf, 3, &rv), 0);
	ck_assert_int_eq(rv, 3);
	ck_assert_int_eq(buf[2], h.tid[2]);
	ck_assert_int_eq(buf[3], 0x7f7f7f7f);
	ck_assert_int_eq(pt(h.t, PS_PT_GETLWPLIST, h.c, buf, 100, &rv), 0);
	ck_assert_int_eq(rv, 3);
	ck_assert_int_eq(buf[3], 0x7f7f7f7f);
	ck_assert_int_eq(pt(h.t, PS_PT_GETLWPLIST, h.c, NULL, 3, NULL), PS_EFAULT);
	/* By thread id, the same process. */
	ck_assert_int_eq(pt(h.t, PS_PT_GETNUMLWPS, h.tid[2], NULL, 0, &rv), 0);
	ck_assert_int_eq(rv, 3);
}
END_TEST

/* S35 (001:682-692, 001:714-722, 001:946-947, §3.6 [EXT]): with the stop
 * reported by t2 (a brk), a pid-addressed request acts on t2 and a
 * tid-addressed one on that thread; PT_CONTINUE(t1_tid, SIGUSR2) gives the
 * replacement to t1, t2 still has TDB_XSIG so the process stops again at
 * once with t2 reporting its SIGTRAP, and the SIGUSR2 is lost. */
START_TEST(s35_thread_addressing)
{
	struct thrt h = thr_target();
	struct ps_regs r2, r1, rp;
	struct ps_ptrace_lwpinfo pl;
	struct ps_thread_dbg d;
	struct ps_proc_info pi;
	uint64_t v0[3], v1[3];

	ck_assert_int_eq(pt(h.t, PS_PT_WRITE_D, h.c, (void *)(uintptr_t)h.go, 1, NULL), 0);
	ck_assert_int_eq(pt(h.t, PS_PT_CONTINUE, h.c, PS_PT_ADDR_SAME, 0, NULL), 0);
	collect_stop(h.t, h.c, PS_SIGTRAP);
	ck_assert_int_eq(ptinfo(h.c).xthread, h.tid[1]);
	ck_assert_int_eq(pt(h.t, PS_PT_GETREGS, h.c, &rp, 0, NULL), 0);
	ck_assert_int_eq(pt(h.t, PS_PT_GETREGS, h.tid[1], &r2, 0, NULL), 0);
	ck_assert_int_eq(pt(h.t, PS_PT_GETREGS, h.tid[0], &r1, 0, NULL), 0);
	ck_assert_uint_eq(rp.pc, h.bp);
	ck_assert_mem_eq(&rp, &r2, sizeof(rp));
	ck_assert_uint_ge(r1.pc, h.t1);
	ck_assert_uint_lt(r1.pc, h.t2);
	/* LWPINFO: the reporter and a bystander. */
	ck_assert_int_eq(pt(h.t, PS_PT_LWPINFO, h.c, &pl, (int)sizeof(pl), NULL), 0);
	ck_assert_int_eq(pl.pl_lwpid, h.tid[1]);
	ck_assert_int_eq(pl.pl_event, PS_PL_EVENT_SIGNAL);
	ck_assert_int_eq(pt(h.t, PS_PT_LWPINFO, h.tid[0], &pl, (int)sizeof(pl), NULL), 0);
	ck_assert_int_eq(pl.pl_lwpid, h.tid[0]);
	ck_assert_int_eq(pl.pl_event, PS_PL_EVENT_NONE);
	ck_assert_int_eq(pl.pl_flags, 0);
	/* Continue by t1's tid with SIGUSR2. */
	ck_assert_int_eq(pt(h.t, PS_PT_CONTINUE, h.tid[0], PS_PT_ADDR_SAME, PS_SIGUSR2, NULL), 0);
	ck_assert_int_eq(ps_thread_dbg(t_sim, h.tid[0], &d), 0);
	ck_assert_int_eq(d.xsig, PS_SIGUSR2);
	ck_assert_uint_eq(d.dbgflags & PS_TDB_XSIG, 0);
	ck_assert_uint_eq(dbgflags(h.tid[1]) & PS_TDB_XSIG, PS_TDB_XSIG);
	collect_stop(h.t, h.c, PS_SIGTRAP);
	ck_assert_int_eq(ptinfo(h.c).xthread, h.tid[1]);
	ck_assert_int_eq(pt(h.t, PS_PT_GETREGS, h.c, &rp, 0, NULL), 0);
	ck_assert_uint_eq(rp.pc, h.bp);
	/* Past the brk, go cleared: everything runs, nothing got SIGUSR2. */
	ck_assert_int_eq(pt(h.t, PS_PT_WRITE_D, h.c, (void *)(uintptr_t)h.go, 0, NULL), 0);
	counters(&h, v0);
	ck_assert_int_eq(pt(h.t, PS_PT_CONTINUE, h.c, (void *)(uintptr_t)(h.bp + 8), 0, NULL), 0);
	run_ns(1000000);
	ck_assert_int_eq(t_state(t_sim, h.c), PS_PRS_NORMAL);
	counters(&h, v1);
	for (int i = 0; i < 3; i++)
		ck_assert_uint_gt(v1[i], v0[i]);
	ck_assert_int_eq(ps_proc_info(t_sim, h.c, &pi), 0);
	ck_assert_uint_eq(pi.siglist & SIGBIT(PS_SIGUSR2), 0);
	ck_assert_uint_eq(pi.flags & PS_P_STOPPED_TRACE, 0);
}
END_TEST

/* S36 (001:770-773): PT_CLEARSTEP of the calling thread itself (by tid, or
 * by pid when the first thread is the caller) needs no tracing; from a
 * second thread the pid picks the first thread: default checks, EPERM;
 * PT_SETSTEP has no such exception.  The program stores its results and
 * stops itself so that they can be read. */
static const char SELFSTEP_PROG[] =
	"start:  sys gettid\n"
	"        mov r9, r0\n"
	"        sys getpid\n"
	"        mov r8, r0\n"
	"        sys ptrace 16, r9, 0, 0\n"
	"        st r0, [res1]\n"
	"        sys ptrace 16, r8, 0, 0\n"
	"        st r0, [res2]\n"
	"        sys ptrace 17, r9, 0, 0\n"
	"        st r0, [res3]\n"
	"        sys ptrace 17, r8, 0, 0\n"
	"        st r0, [res6]\n"
	"        sys thr_new th, stk, 0\n"
	"spin:   ld r1, [done]\n"
	"        bnez r1, fin\n"
	"        work 10\n"
	"        b spin\n"
	"fin:    sys kill r8, SIGSTOP\n"
	"        sys exit 0\n"
	"th:     sys getpid\n"
	"        sys ptrace 16, r0, 0, 0\n"
	"        st r0, [res4]\n"
	"        sys gettid\n"
	"        sys ptrace 16, r0, 0, 0\n"
	"        st r0, [res5]\n"
	"        li r1, 1\n"
	"        st r1, [done]\n"
	"        sys thr_exit\n"
	"        .data\n"
	"        .align 8\n"
	"res1:   .quad 99\n"
	"res2:   .quad 99\n"
	"res3:   .quad 99\n"
	"res4:   .quad 99\n"
	"res5:   .quad 99\n"
	"res6:   .quad 99\n"
	"done:   .quad 0\n"
	"        .space 512\n"
	"stk:    .quad 0\n";

START_TEST(s36_clearstep_self_exception)
{
	int32_t sh, p;
	int st = -1;

	add_prog("selfstep", SELFSTEP_PROG);
	p = spawn("selfstep", &sh);
	run_ns(5000000);
	ck_assert_int_eq(t_state(t_sim, p), PS_PRS_NORMAL);
	ck_assert_uint_eq(t_flags(t_sim, p) & PS_P_STOPPED_SIG, PS_P_STOPPED_SIG);
	ck_assert_int_eq((int64_t)mem64(p, sym("selfstep", "res1")), 0);
	ck_assert_int_eq((int64_t)mem64(p, sym("selfstep", "res2")), 0);
	ck_assert_int_eq((int64_t)mem64(p, sym("selfstep", "res3")), PS_EPERM);
	ck_assert_int_eq((int64_t)mem64(p, sym("selfstep", "res6")), PS_EPERM);
	ck_assert_int_eq((int64_t)mem64(p, sym("selfstep", "res4")), PS_EPERM);
	ck_assert_int_eq((int64_t)mem64(p, sym("selfstep", "res5")), 0);
	ck_assert_uint_eq(t_flags(t_sim, p) & PS_P_TRACED, 0);
	ck_assert_int_eq(ps_kill(t_sim, sh, p, PS_SIGCONT), 0);
	run_ns(1000000);
	ck_assert_int_eq(ps_wait(t_sim, sh, p, PS_WNOHANG, &st), p);
	ck_assert_int_eq(st, 0);
}
END_TEST

/* ====================================================================== */
/* S41: procctl(PROC_SPROTECT) (rev A's code, §5)                           */
/* ====================================================================== */

#define PROT_BOTH(pid) \
	((t_flags(t_sim, pid) & PS_P_PROTECTED) != 0 && (ptinfo(pid).flags2 & PS_P2_INHERIT_PROTECTED) != 0)

static bool
is_protected(int32_t pid)
{
	return (t_flags(t_sim, pid) & PS_P_PROTECTED) != 0;
}

static bool
inherits(int32_t pid)
{
	return (ptinfo(pid).flags2 & PS_P2_INHERIT_PROTECTED) != 0;
}

static int
sprotect(int32_t caller, int idtype, int64_t id, int flags)
{
	int f = flags;

	return ps_procctl(t_sim, caller, idtype, id, PS_PROC_SPROTECT, &f);
}

static void
set_uid(int32_t pid, int32_t uid)
{
	struct ps_cred c = { uid, uid, uid, 0, 0, 0 };

	ck_assert_int_eq(ps_setcred(t_sim, pid, &c), 0);
}

/* The tree of S41: X -> Y -> Z with X's sibling W, R root, N unprivileged. */
struct tree {
	int32_t sh, x, y, z, w, r, n;
};

static struct tree
s41_tree(void)
{
	struct tree t;

	t.sh = t_session(t_sim);
	t.x = t_fork(t_sim, t.sh);
	t.y = t_fork(t_sim, t.x);
	t.z = t_fork(t_sim, t.y);
	t.w = t_fork(t_sim, t.sh);
	t.r = t_fork(t_sim, 1);
	t.n = t_fork(t_sim, 1);
	set_uid(t.n, 1000);
	return t;
}

/* S41 bullets 1, 2, 4 (001:1245-1252, 001:1295-1308): privilege, SET and
 * its inherit flag, CLEAR of both, argument errors before the privilege
 * check. */
START_TEST(s41_set_inherit_clear_and_errors)
{
	struct tree t = s41_tree();

	ck_assert_int_eq(sprotect(t.n, PS_PROCCTL_P_PID, t.x, PS_PPROT_SET), PS_EPERM);
	ck_assert(!is_protected(t.x));
	ck_assert_int_eq(sprotect(t.n, PS_PROCCTL_P_PID, t.x, 3), PS_EINVAL);
	ck_assert_int_eq(sprotect(t.n, PS_PROCCTL_P_PID, t.x, PS_PPROT_SET | 0x40), PS_EINVAL);
	ck_assert_int_eq(sprotect(t.r, PS_PROCCTL_P_PID, t.x, PS_PPROT_SET), 0);
	ck_assert(is_protected(t.x));
	ck_assert(!inherits(t.x));
	ck_assert(!is_protected(t.y));
	ck_assert(!is_protected(t.z));
	ck_assert(!is_protected(t.sh));
	ck_assert_int_eq(sprotect(t.r, PS_PROCCTL_P_PID, t.x, PS_PPROT_SET | PS_PPROT_INHERIT), 0);
	ck_assert(PROT_BOTH(t.x));
	ck_assert_int_eq(sprotect(t.r, PS_PROCCTL_P_PID, t.x, PS_PPROT_SET), 0);
	ck_assert(PROT_BOTH(t.x));
	ck_assert_int_eq(sprotect(t.r, PS_PROCCTL_P_PID, t.x, PS_PPROT_CLEAR), 0);
	ck_assert(!is_protected(t.x));
	ck_assert(!inherits(t.x));
	/* CLEAR ignores PPROT_INHERIT and is idempotent. */
	ck_assert_int_eq(sprotect(t.r, PS_PROCCTL_P_PID, t.x, PS_PPROT_SET | PS_PPROT_INHERIT), 0);
	ck_assert_int_eq(sprotect(t.r, PS_PROCCTL_P_PID, t.x, PS_PPROT_CLEAR | PS_PPROT_INHERIT), 0);
	ck_assert(!is_protected(t.x) && !inherits(t.x));
	ck_assert_int_eq(sprotect(t.r, PS_PROCCTL_P_PID, t.x, PS_PPROT_CLEAR), 0);
	/* Bad operations and flags. */
	ck_assert_int_eq(sprotect(t.r, PS_PROCCTL_P_PID, t.x, 3), PS_EINVAL);
	ck_assert_int_eq(sprotect(t.r, PS_PROCCTL_P_PID, t.x, 0), PS_EINVAL);
	ck_assert_int_eq(sprotect(t.r, PS_PROCCTL_P_PID, t.x, PS_PPROT_INHERIT), PS_EINVAL);
	ck_assert_int_eq(sprotect(t.r, PS_PROCCTL_P_PID, t.x, PS_PPROT_SET | 0x40), PS_EINVAL);
	ck_assert_int_eq(sprotect(t.r, PS_PROCCTL_P_PID, t.x, PS_PPROT_SET | 0x100), PS_EINVAL);
	ck_assert(!is_protected(t.x));
	/* A caller may protect itself only with privilege. */
	ck_assert_int_eq(sprotect(t.n, PS_PROCCTL_P_PID, t.n, PS_PPROT_SET), PS_EPERM);
	ck_assert_int_eq(sprotect(t.r, PS_PROCCTL_P_PID, t.r, PS_PPROT_SET), 0);
	ck_assert(is_protected(t.r));
}
END_TEST

/* S41 bullet 3 (001:1256-1288): SET|DESCEND protects X's whole subtree in
 * a pre-order walk, and nothing outside it (X's sibling W, X's parent). */
START_TEST(s41_descend)
{
	struct tree t = s41_tree();

	ck_assert_int_eq(sprotect(t.r, PS_PROCCTL_P_PID, t.x, PS_PPROT_SET | PS_PPROT_DESCEND), 0);
	ck_assert(is_protected(t.x));
	ck_assert(is_protected(t.y));
	ck_assert(is_protected(t.z));
	ck_assert(!inherits(t.x));
	ck_assert(!is_protected(t.w));
	ck_assert(!is_protected(t.sh));
	/* From Y: Y and Z only. */
	ck_assert_int_eq(sprotect(t.r, PS_PROCCTL_P_PID, t.x, PS_PPROT_CLEAR | PS_PPROT_DESCEND), 0);
	ck_assert(!is_protected(t.x) && !is_protected(t.y) && !is_protected(t.z));
	ck_assert_int_eq(sprotect(t.r, PS_PROCCTL_P_PID, t.y,
	                          PS_PPROT_SET | PS_PPROT_DESCEND | PS_PPROT_INHERIT), 0);
	ck_assert(!is_protected(t.x));
	ck_assert(PROT_BOTH(t.y));
	ck_assert(PROT_BOTH(t.z));
	/* A leaf: only itself. */
	ck_assert_int_eq(sprotect(t.r, PS_PROCCTL_P_PID, t.w, PS_PPROT_SET | PS_PPROT_DESCEND), 0);
	ck_assert(is_protected(t.w));
	ck_assert(!is_protected(t.sh));
	/* A zombie child is still on the list: visited (§5.5). */
	{
		int32_t q = t_fork(t_sim, t.z);

		ck_assert_int_eq(ps_exit(t_sim, q, 0), 0);
		ck_assert_int_eq(t_state(t_sim, q), PS_PRS_ZOMBIE);
		ck_assert_int_eq(sprotect(t.r, PS_PROCCTL_P_PID, t.x,
		                          PS_PPROT_CLEAR | PS_PPROT_DESCEND), 0);
		ck_assert_int_eq(sprotect(t.r, PS_PROCCTL_P_PID, t.x,
		                          PS_PPROT_SET | PS_PPROT_DESCEND), 0);
		ck_assert_uint_eq(ptinfo(q).flags & PS_P_PROTECTED, PS_P_PROTECTED);
		ck_assert_int_eq(ps_wait(t_sim, t.z, q, PS_WNOHANG, NULL), q);
	}
	/* A skipped process (a simulated system process) still has its
	 * descendants visited (§5.5). */
	{
		struct proc *py = pfind_any_nolock(ps__kernel(t_sim), t.y);

		ck_assert_int_eq(sprotect(t.r, PS_PROCCTL_P_PID, t.x,
		                          PS_PPROT_CLEAR | PS_PPROT_DESCEND), 0);
		py->p_flag |= P_SYSTEM;
		ck_assert_int_eq(sprotect(t.r, PS_PROCCTL_P_PID, t.x,
		                          PS_PPROT_SET | PS_PPROT_DESCEND), 0);
		ck_assert(is_protected(t.x));
		ck_assert(!is_protected(t.y));
		ck_assert(is_protected(t.z));
		/* From the skipped one: its subtree changed, so 0. */
		ck_assert_int_eq(sprotect(t.r, PS_PROCCTL_P_PID, t.y,
		                          PS_PPROT_CLEAR | PS_PPROT_DESCEND), 0);
		ck_assert(!is_protected(t.z));
		/* Alone, without DESCEND: nothing changed, EPERM. */
		ck_assert_int_eq(sprotect(t.r, PS_PROCCTL_P_PID, t.y, PS_PPROT_SET), PS_EPERM);
		py->p_flag &= ~P_SYSTEM;
		ck_assert_int_eq(sprotect(t.r, PS_PROCCTL_P_PID, t.x,
		                          PS_PPROT_CLEAR | PS_PPROT_DESCEND), 0);
	}
	/* Unprivileged with DESCEND: EPERM, nothing changed. */
	ck_assert_int_eq(sprotect(t.n, PS_PROCCTL_P_PID, t.x, PS_PPROT_SET | PS_PPROT_DESCEND),
	                 PS_EPERM);
	ck_assert(!is_protected(t.x));
}
END_TEST

/* S41 bullet 5 (001:1336-1342, 001:1370-1375, 001:1420-1422,
 * 001:1243-1244, 001:1314-1315): unknown com, unknown idtype, no such pid,
 * process 0, NULL data. */
START_TEST(s41_command_idtype_lookup_errors)
{
	struct tree t = s41_tree();
	int f = PS_PPROT_SET;

	ck_assert_int_eq(ps_procctl(t_sim, t.r, PS_PROCCTL_P_PID, t.x, 2, &f), PS_EINVAL);
	ck_assert_int_eq(ps_procctl(t_sim, t.r, PS_PROCCTL_P_PID, 99998, 2, &f), PS_EINVAL);
	ck_assert_int_eq(ps_procctl(t_sim, t.r, PS_PROCCTL_P_PID, t.x, 2, NULL), PS_EINVAL);
	ck_assert_int_eq(sprotect(t.r, 5 /* P_UID */, 0, PS_PPROT_SET), PS_EINVAL);
	ck_assert_int_eq(sprotect(t.r, 1 /* P_PPID */, t.sh, PS_PPROT_SET), PS_EINVAL);
	ck_assert_int_eq(sprotect(t.r, 5, 0, 3), PS_EINVAL);
	ck_assert_int_eq(sprotect(t.r, PS_PROCCTL_P_PID, 99998, PS_PPROT_SET), PS_ESRCH);
	/* Bad flags or no privilege aimed at nobody: ESRCH (lookup first). */
	ck_assert_int_eq(sprotect(t.r, PS_PROCCTL_P_PID, 99998, 3), PS_ESRCH);
	ck_assert_int_eq(sprotect(t.n, PS_PROCCTL_P_PID, 99998, PS_PPROT_SET), PS_ESRCH);
	ck_assert_int_eq(sprotect(t.r, PS_PROCCTL_P_PID, 0, PS_PPROT_SET), PS_EPERM);
	ck_assert_uint_eq(t_flags(t_sim, 0) & PS_P_PROTECTED, 0);
	ck_assert_int_eq(ps_procctl(t_sim, t.r, PS_PROCCTL_P_PID, t.x, PS_PROC_SPROTECT, NULL),
	                 PS_EFAULT);
	ck_assert_int_eq(ps_procctl(t_sim, t.r, PS_PROCCTL_P_PID, 99998, PS_PROC_SPROTECT, NULL),
	                 PS_EFAULT);
	ck_assert(!is_protected(t.x));
	/* A zombie is not found by pfind. */
	{
		int32_t zp, z = t_zombie(&zp);

		ck_assert_int_eq(sprotect(t.r, PS_PROCCTL_P_PID, z, PS_PPROT_SET), PS_ESRCH);
	}
}
END_TEST

/* S41 bullet 6 (001:1381-1419): P_PGID.  A group of invisible members is
 * ESRCH; one changeable member and one that cannot be changed (a system
 * process) is 0; no changeable member is the first member's EPERM; an
 * unprivileged caller gets the first member's EPERM, bad flags its EINVAL. */
START_TEST(s41_pgid_results)
{
	struct ps_config cfg = t_config();
	struct kernel *k;
	int32_t r, n, l, m1, m2, l2, o1;
	struct proc *pm2, *pl;

	cfg.see_other_uids = 0;
	t_replace_sim(&cfg);
	k = ps__kernel(t_sim);
	r = t_fork(t_sim, 1);
	n = t_fork(t_sim, 1);
	set_uid(n, 1000);
	/* Group l: l, m1, m2, all uid 0. */
	l = t_session(t_sim);
	m1 = t_fork(t_sim, l);
	m2 = t_fork(t_sim, l);
	/* Group l2 of uid 2000 processes, invisible to n. */
	l2 = t_session(t_sim);
	o1 = t_fork(t_sim, l2);
	set_uid(l2, 2000);
	set_uid(o1, 2000);

	ck_assert_int_eq(sprotect(n, PS_PROCCTL_P_PGID, l2, PS_PPROT_SET), PS_ESRCH);
	ck_assert_int_eq(sprotect(n, PS_PROCCTL_P_PGID, l2, 3), PS_ESRCH);
	ck_assert_int_eq(sprotect(n, PS_PROCCTL_P_PID, o1, PS_PPROT_SET), PS_ESRCH);
	ck_assert_int_eq(sprotect(r, PS_PROCCTL_P_PGID, 99998, PS_PPROT_SET), PS_ESRCH);
	/* With see_other_uids 0, group l (uid 0) is invisible to n too. */
	ck_assert_int_eq(sprotect(n, PS_PROCCTL_P_PGID, l, PS_PPROT_SET), PS_ESRCH);
	/* Root: the whole group. */
	ck_assert_int_eq(sprotect(r, PS_PROCCTL_P_PGID, l, PS_PPROT_SET), 0);
	ck_assert(is_protected(l) && is_protected(m1) && is_protected(m2));
	ck_assert_int_eq(sprotect(r, PS_PROCCTL_P_PGID, l, 3), PS_EINVAL);
	ck_assert_int_eq(sprotect(r, PS_PROCCTL_P_PGID, l, PS_PPROT_CLEAR), 0);
	ck_assert(!is_protected(l) && !is_protected(m1) && !is_protected(m2));
	/* m2 and l as simulated system processes: m1 alone changes -> 0. */
	pm2 = pfind_any_nolock(k, m2);
	pl = pfind_any_nolock(k, l);
	pm2->p_flag |= P_SYSTEM;
	pl->p_flag |= P_SYSTEM;
	ck_assert_int_eq(sprotect(r, PS_PROCCTL_P_PGID, l, PS_PPROT_SET), 0);
	ck_assert(is_protected(m1));
	ck_assert(!is_protected(m2));
	ck_assert(!is_protected(l));
	ck_assert_int_eq(sprotect(r, PS_PROCCTL_P_PID, m1, PS_PPROT_CLEAR), 0);
	/* Nobody changeable: EPERM. */
	pfind_any_nolock(k, m1)->p_flag |= P_SYSTEM;
	ck_assert_int_eq(sprotect(r, PS_PROCCTL_P_PGID, l, PS_PPROT_SET), PS_EPERM);
	ck_assert(!is_protected(m1));
	pfind_any_nolock(k, m1)->p_flag &= ~P_SYSTEM;
	pm2->p_flag &= ~P_SYSTEM;
	pl->p_flag &= ~P_SYSTEM;
	/* Group l2 made n's own uid: visible, so the privilege (and the flag)
	 * check of each member decides: the first member's error. */
	set_uid(l2, 1000);
	set_uid(o1, 1000);
	ck_assert_int_eq(sprotect(n, PS_PROCCTL_P_PGID, l2, PS_PPROT_SET), PS_EPERM);
	ck_assert_int_eq(sprotect(n, PS_PROCCTL_P_PGID, l2, 3), PS_EINVAL);
	ck_assert(!is_protected(l2) && !is_protected(o1));
}
END_TEST

/* §5.2 and S41 bullet 6: P_PGID 0 names swapper's group (procsim has it:
 * ps_pgfind(0) finds it), whose members are all system processes, so as
 * for P_PID 0 nothing can change: EPERM (001:1406-1412, 001:1314-1315). */
START_TEST(s41_pgid_zero_is_swappers_group)
{
	int32_t r = t_fork(t_sim, 1), kp = -1;

	ck_assert_int_eq(ps_pgfind(t_sim, 0), 0);
	ck_assert_int_eq(ps_kproc_new(t_sim, "kworker", &kp), 0);
	ck_assert_int_eq(t_pinfo(kp).pgid, 0);
	ck_assert_int_eq(sprotect(r, PS_PROCCTL_P_PGID, 0, PS_PPROT_SET), PS_EPERM);
	ck_assert_uint_eq(t_flags(t_sim, 0) & PS_P_PROTECTED, 0);
	ck_assert_uint_eq(t_flags(t_sim, kp) & PS_P_PROTECTED, 0);
	ck_assert_int_eq(sprotect(r, PS_PROCCTL_P_PID, kp, PS_PPROT_SET), PS_EPERM);
	ck_assert_int_eq(sprotect(r, PS_PROCCTL_P_PGID, -5, PS_PPROT_SET), PS_ESRCH);
}
END_TEST

/* [EXT] §5.4: P2_INHERIT_PROTECTED makes fork copy the protection; SET
 * without INHERIT does not pass on. */
START_TEST(s41_inherit_across_fork)
{
	struct tree t = s41_tree();
	int32_t c0, c1, c2;

	c0 = t_fork(t_sim, t.x);
	ck_assert_int_eq(sprotect(t.r, PS_PROCCTL_P_PID, t.x, PS_PPROT_SET), 0);
	c1 = t_fork(t_sim, t.x);
	ck_assert(!is_protected(c1));
	ck_assert_int_eq(sprotect(t.r, PS_PROCCTL_P_PID, t.x, PS_PPROT_SET | PS_PPROT_INHERIT), 0);
	c2 = t_fork(t_sim, t.x);
	ck_assert(PROT_BOTH(c2));
	ck_assert(!is_protected(c0));
	ck_assert(!is_protected(c1));
	/* And its children in turn. */
	ck_assert(PROT_BOTH(t_fork(t_sim, c2)));
	ck_assert_int_eq(sprotect(t.r, PS_PROCCTL_P_PID, t.x, PS_PPROT_CLEAR), 0);
	ck_assert(!is_protected(t_fork(t_sim, t.x)));
	ck_assert(PROT_BOTH(c2));
}
END_TEST

/* §3.3, §5.5: after an untraced child attaches to its own parent (S11), each
 * is on the other's child list; a PPROT_DESCEND walk from either must end
 * (documented divergence) and protect both. */
START_TEST(s41_descend_terminates_on_attach_cycle)
{
	int32_t sh = t_session(t_sim), p = t_fork(t_sim, sh), c = t_fork(t_sim, p);
	int32_t r = t_fork(t_sim, 1), d;
	int st = -1;

	ck_assert_int_eq(pt(c, PS_PT_ATTACH, p, NULL, 0, NULL), 0);
	ck_assert_int_eq(ptinfo(p).pptr, c);
	ck_assert_int_eq(ptinfo(c).pptr, p);
	ck_assert_int_eq(ps_wait(t_sim, c, p, PS_WNOHANG, &st), p);
	ck_assert_int_eq(st, PS_W_STOPCODE(PS_SIGSTOP));
	ck_assert_int_eq(sprotect(r, PS_PROCCTL_P_PID, p, PS_PPROT_SET | PS_PPROT_DESCEND), 0);
	ck_assert(is_protected(p));
	ck_assert(is_protected(c));
	ck_assert(!is_protected(sh));
	ck_assert_int_eq(sprotect(r, PS_PROCCTL_P_PID, c, PS_PPROT_CLEAR | PS_PPROT_DESCEND), 0);
	ck_assert(!is_protected(p));
	ck_assert(!is_protected(c));
	/* With a third process below c (S11's D). */
	d = t_fork(t_sim, c);
	ck_assert_int_eq(sprotect(r, PS_PROCCTL_P_PID, c, PS_PPROT_SET | PS_PPROT_DESCEND), 0);
	ck_assert(is_protected(p) && is_protected(c) && is_protected(d));
	/* And the bounded ancestor walk of PT_ATTACH (S11): D traced by C
	 * attaches to an outsider. */
	{
		int32_t u = t_fork(t_sim, 1);

		ck_assert_int_eq(pt(d, PS_PT_TRACE_ME, 0, NULL, 0, NULL), 0);
		ck_assert_int_eq(pt(d, PS_PT_ATTACH, u, NULL, 0, NULL), 0);
		ck_assert_int_eq(ptinfo(u).pptr, d);
	}
}
END_TEST

/* procctl from a program (`sys procctl`): the program protects itself with
 * SET|INHERIT through a flags word in its data and forks; the child is
 * born protected.  Bad data pointer: EFAULT; bad command: EINVAL. */
static const char PROCCTL_PROG[] =
	"start:  sys getpid\n"
	"        mov r9, r0\n"
	"        sys procctl 0, r9, 1, flags\n"
	"        st r0, [res1]\n"
	"        sys procctl 0, r9, 1, 0\n"
	"        st r0, [res2]\n"
	"        sys procctl 0, r9, 2, flags\n"
	"        st r0, [res3]\n"
	"        sys procctl 0, 99998, 1, 0x10\n"
	"        st r0, [res4]\n"
	"        sys fork\n"
	"spin:   work 50\n"
	"        b spin\n"
	"        .data\n"
	"        .align 8\n"
	"flags:  .quad 0x21\n"
	"res1:   .quad 99\n"
	"res2:   .quad 99\n"
	"res3:   .quad 99\n"
	"res4:   .quad 99\n";

START_TEST(s41_procctl_from_program_inherits)
{
	int32_t p, kids[2];
	size_t n = 0;

	add_prog("pctl", PROCCTL_PROG);
	p = spawn("pctl", NULL);
	run_ns(200000);
	ck_assert_int_eq((int64_t)mem64(p, sym("pctl", "res1")), 0);
	ck_assert_int_eq((int64_t)mem64(p, sym("pctl", "res2")), PS_EFAULT);
	ck_assert_int_eq((int64_t)mem64(p, sym("pctl", "res3")), PS_EINVAL);
	ck_assert_int_eq((int64_t)mem64(p, sym("pctl", "res4")), PS_EFAULT);
	ck_assert(PROT_BOTH(p));
	ck_assert_int_eq(ps_proc_children(t_sim, p, kids, 2, &n), 0);
	ck_assert_uint_eq(n, 1);
	ck_assert(PROT_BOTH(kids[0]));
}
END_TEST

/* ====================================================================== */
/* Simulated tracers: programs that call `sys ptrace`                       */
/* ====================================================================== */

/*
 * Issue item 6: a debugger written as a program.  It forks; the child does
 * PT_TRACE_ME, marks its memory and stops itself with SIGSTOP; the parent
 * wait4s for the stop, reads the child with PT_READ_D (a word of -1 comes
 * back as 0xffffffff, unsigned) and PT_IO into its own data, provokes two
 * tracer-side faults (E2: the second target chunk's copy to or from its
 * own unmapped page fails after the first chunk moved), writes with
 * PT_WRITE_D, stops itself so the test can look, then PT_CONTINUEs the
 * child, waits for its exit and exits with a status built from what it
 * read: (child's exit status) + (low byte of the word it read) * 256.
 */
static const char DBG_PROG[] =
	"start:  sys fork\n"
	"        bnez r0, parent\n"
	"        li r1, 0x5566778899aabbcc\n"
	"        st r1, [blob]\n"
	"        li r1, 0x0102030405060708\n"
	"        st r1, [blob+8]\n"
	"        sys ptrace 0, 0, 0, 0\n"
	"        st r0, [tmres]\n"
	"        sys getpid\n"
	"        sys kill r0, SIGSTOP\n"
	"        ld r1, [secret]\n"
	"        sys exit r1\n"
	"parent: mov r9, r0\n"
	"        st r9, [cpid]\n"
	"        sys mmap 0x800000000, 4096, 3, 0x10\n"
	"        li r2, 0x800000ff8\n"
	"        li r1, 0x1122334455667788\n"
	"        st r1, [r2]\n"
	"        li r1, tail\n"
	"        add r1, r1, 4095\n"
	"        and r1, r1, -4096\n"
	"        sub r1, r1, 8\n"
	"        st r1, [iod2+16]\n"
	"        st r1, [rtail]\n"
	"        li r2, 0x7a7a7a7a7a7a7a7a\n"
	"        st r2, [r1]\n"
	"        sys wait4 r9, status1, 0, 0\n"
	"        st r0, [wres1]\n"
	"        sys ptrace 2, r9, blob, 0\n"
	"        st r0, [word1]\n"
	"        sys ptrace 2, r9, minus1, 0\n"
	"        st r0, [word2]\n"
	"        sys ptrace 12, r9, iod, 0\n"
	"        st r0, [iores]\n"
	"        sys ptrace 12, r9, iod2, 0\n"
	"        st r0, [iores2]\n"
	"        sys ptrace 12, r9, iod3, 0\n"
	"        st r0, [iores3]\n"
	"        sys ptrace 5, r9, secret, 42\n"
	"        st r0, [wrres]\n"
	"        sys getpid\n"
	"        sys kill r0, SIGSTOP\n"
	"        sys ptrace 7, r9, 1, 0\n"
	"        st r0, [cres]\n"
	"        sys wait4 r9, status2, 0, 0\n"
	"        st r0, [wres2]\n"
	"        ldw r1, [status2]\n"
	"        shr r1, r1, 8\n"
	"        ld r2, [word1]\n"
	"        and r2, r2, 0xff\n"
	"        shl r2, r2, 8\n"
	"        add r1, r1, r2\n"
	"        sys exit r1\n"
	"        .data\n"
	"blob:   .quad 0x0807060504030201, 0x100f0e0d0c0b0a09\n"
	"minus1: .quad 0xffffffff\n"
	"secret: .quad 7\n"
	"iod:    .quad 1, blob, iobuf, 16\n"
	"iod2:   .quad 1, blob-8, 0, 16\n"
	"iod3:   .quad 2, blob-8, 0x800000ff8, 16\n"
	"iobuf:  .quad 0, 0\n"
	"status1: .quad 0\n"
	"status2: .quad 0\n"
	"cpid:   .quad 0\n"
	"wres1:  .quad 0\n"
	"word1:  .quad 0\n"
	"word2:  .quad 0\n"
	"iores:  .quad 0\n"
	"iores2: .quad 0\n"
	"iores3: .quad 0\n"
	"wrres:  .quad 0\n"
	"cres:   .quad 0\n"
	"wres2:  .quad 0\n"
	"tmres:  .quad 99\n"
	"rtail:  .quad 0\n"
	"tail:   .byte 0\n";

static int64_t
dbgvar(int32_t pid, const char *label)
{
	return (int64_t)mem64(pid, sym("dbg", label));
}

START_TEST(program_tracer_reads_writes_continues)
{
	int32_t sh, p, c, kids[2];
	size_t n = 0;
	int st = -1;
	uint64_t blob, iobuf[2], tail;
	struct ps_program_info pi;

	add_prog("dbg", DBG_PROG);
	blob = sym("dbg", "blob");
	p = spawn("dbg", &sh);
	run_ns(1000000);
	ck_assert_int_eq(ps_proc_children(t_sim, p, kids, 2, &n), 0);
	ck_assert_uint_eq(n, 1);
	c = kids[0];
	/* The tracer stopped itself; the child sits in its trace stop. */
	ck_assert_uint_eq(t_flags(t_sim, p) & PS_P_STOPPED_SIG, PS_P_STOPPED_SIG);
	ck_assert_uint_eq(ptinfo(c).flags & (PS_P_TRACED | PS_P_STOPPED_TRACE | PS_P_WAITED),
	                  PS_P_TRACED | PS_P_STOPPED_TRACE | PS_P_WAITED);
	ck_assert_int_eq(ptinfo(c).pptr, p);
	ck_assert_int_eq(ptinfo(c).oppid, p);
	ck_assert_int_eq(dbgvar(c, "tmres"), 0);
	ck_assert_int_eq(dbgvar(p, "cpid"), c);
	ck_assert_int_eq(dbgvar(p, "wres1"), c);
	ck_assert_int_eq((int32_t)dbgvar(p, "status1"), PS_W_STOPCODE(PS_SIGSTOP));
	/* PT_READ_D: the child's word, as an unsigned 32-bit value. */
	ck_assert_int_eq(dbgvar(p, "word1"), 0x99aabbccLL);
	ck_assert_int_eq(dbgvar(p, "word2"), 0xffffffffLL);
	/* PT_IO into the tracer's .data, and the descriptor copied back. */
	ck_assert_int_eq(dbgvar(p, "iores"), 0);
	mem(p, sym("dbg", "iobuf"), iobuf, sizeof(iobuf));
	ck_assert_uint_eq(iobuf[0], 0x5566778899aabbccull);
	ck_assert_uint_eq(iobuf[1], 0x0102030405060708ull);
	ck_assert_uint_eq(mem64(p, sym("dbg", "iod") + 24), 16);
	ck_assert_uint_eq(mem64(p, blob), 0x0807060504030201ull); /* Its own copy. */
	/* E2, read: the text tail reached the tracer's last data bytes, then
	 * the copy into its next (unmapped) page faulted. */
	ck_assert_int_eq(dbgvar(p, "iores2"), PS_EFAULT);
	tail = (uint64_t)dbgvar(p, "rtail");
	ck_assert_uint_eq(tail & 0xfff, 0xff8);
	ck_assert_uint_eq(mem64(p, tail), 0); /* The child's text tail: zeros. */
	ck_assert_uint_eq(mem64(p, sym("dbg", "iod2") + 24), 16);
	ck_assert_int_eq(ps_program_info(t_sim, "dbg", &pi), 0);
	ck_assert_uint_lt(pi.text_len, PAGE_SIZE - 8);
	ck_assert_uint_eq(blob, TEXT_BASE + PAGE_SIZE);
	/* E2, write: the first chunk (the child's text tail) persists, synced;
	 * the second (the child's data) failed on the tracer's side. */
	ck_assert_int_eq(dbgvar(p, "iores3"), PS_EFAULT);
	ck_assert_uint_eq(mem64(c, blob - 8), 0x1122334455667788ull);
	ck_assert_uint_eq(mem64(c, blob), 0x5566778899aabbccull);
	ck_assert_uint_eq(ptinfo(c).icache_syncs, 1);
	/* PT_WRITE_D */
	ck_assert_int_eq(dbgvar(p, "wrres"), 0);
	ck_assert_uint_eq(mem64(c, sym("dbg", "secret")), 42);
	ck_assert_uint_eq(dbgflags(first_tid(c)) & PS_TDB_USERWR, PS_TDB_USERWR);
	/* Let the tracer go on: continue, wait, exit. */
	ck_assert_int_eq(ps_kill(t_sim, sh, p, PS_SIGCONT), 0);
	run_ns(1000000);
	ck_assert_int_eq(ps_wait(t_sim, sh, p, PS_WNOHANG, &st), p);
	ck_assert_int_eq(st, PS_W_EXITCODE(42 + (0xcc << 8), 0));
	ck_assert_int_eq(ps_proc_info(t_sim, c, &(struct ps_proc_info){ 0 }), PS_ESRCH);
}
END_TEST

/* S14 last-but-one and §3.1 item 2 (001:567-578): sys_ptrace copies the
 * request's structure in before the lookup, so PT_IO (and PT_SETREGS,
 * PT_VM_ENTRY) with a bad pointer against a pid that does not exist is
 * EFAULT, not ESRCH; with a good pointer it is ESRCH; PT_GETREGS copies
 * nothing in and is ESRCH.  The program exits with -(first result). */
static const char CPIN_PROG[] =
	"start:  sys ptrace 12, 99998, 0, 0\n"
	"        st r0, [v1]\n"
	"        sys ptrace 12, 99998, 0x10, 0\n"
	"        st r0, [v2]\n"
	"        sys ptrace 12, 99998, iod, 0\n"
	"        st r0, [v3]\n"
	"        sys ptrace 33, 99998, 0, 0\n"
	"        st r0, [v4]\n"
	"        sys ptrace 34, 99998, 0, 0\n"
	"        st r0, [v5]\n"
	"        sys ptrace 41, 99998, 0, 0\n"
	"        st r0, [v6]\n"
	"        sys ptrace 12, 100500, 0, 0\n"
	"        st r0, [v7]\n"
	"        sys ptrace 12, -1, 0, 0\n"
	"        st r0, [v8]\n"
	"        sys getpid\n"
	"        sys kill r0, SIGSTOP\n"
	"        ld r1, [v1]\n"
	"        li r2, 0\n"
	"        sub r1, r2, r1\n"
	"        sys exit r1\n"
	"        .data\n"
	"        .align 8\n"
	"iod:    .quad 1, 0x400000, 0x10, 16\n"
	"v1:     .quad 99\n"
	"v2:     .quad 99\n"
	"v3:     .quad 99\n"
	"v4:     .quad 99\n"
	"v5:     .quad 99\n"
	"v6:     .quad 99\n"
	"v7:     .quad 99\n"
	"v8:     .quad 99\n";

static int64_t
cpvar(int32_t pid, const char *label)
{
	return (int64_t)mem64(pid, sym("cpin", label));
}

START_TEST(program_copyin_precedes_lookup)
{
	int32_t sh, p;
	int st = -1;

	add_prog("cpin", CPIN_PROG);
	p = spawn("cpin", &sh);
	run_ns(1000000);
	ck_assert_uint_eq(t_flags(t_sim, p) & PS_P_STOPPED_SIG, PS_P_STOPPED_SIG);
	ck_assert_int_eq(cpvar(p, "v1"), PS_EFAULT);
	ck_assert_int_eq(cpvar(p, "v2"), PS_EFAULT);
	ck_assert_int_eq(cpvar(p, "v3"), PS_ESRCH);
	ck_assert_int_eq(cpvar(p, "v4"), PS_ESRCH);
	ck_assert_int_eq(cpvar(p, "v5"), PS_EFAULT);
	ck_assert_int_eq(cpvar(p, "v6"), PS_EFAULT);
	ck_assert_int_eq(cpvar(p, "v7"), PS_EFAULT);
	ck_assert_int_eq(ps_kill(t_sim, sh, p, PS_SIGCONT), 0);
	run_ns(1000000);
	ck_assert_int_eq(ps_wait(t_sim, sh, p, PS_WNOHANG, &st), p);
	ck_assert_int_eq(st, PS_W_EXITCODE(14, 0));
}
END_TEST

/* The same rule for a pid that is negative in the register (ptrace's pid
 * is a pid_t: the copy-in still comes first, 001:551-578). */
START_TEST(program_copyin_precedes_negative_pid)
{
	int32_t p;

	add_prog("cpin", CPIN_PROG);
	p = spawn("cpin", NULL);
	run_ns(1000000);
	ck_assert_uint_eq(t_flags(t_sim, p) & PS_P_STOPPED_SIG, PS_P_STOPPED_SIG);
	ck_assert_int_eq(cpvar(p, "v8"), PS_EFAULT);
}
END_TEST

/* The same order through the C API. */
START_TEST(api_copyin_precedes_lookup)
{
	int32_t t = t_fork(t_sim, 1);
	struct ps_regs r;

	ck_assert_int_eq(pt(t, PS_PT_IO, 99998, NULL, 0, NULL), PS_EFAULT);
	ck_assert_int_eq(pt(t, PS_PT_SETREGS, 99998, NULL, 0, NULL), PS_EFAULT);
	ck_assert_int_eq(pt(t, PS_PT_VM_ENTRY, 99998, NULL, 0, NULL), PS_EFAULT);
	ck_assert_int_eq(pt(t, PS_PT_IO, 100500, NULL, 0, NULL), PS_EFAULT);
	ck_assert_int_eq(pt(t, PS_PT_GETREGS, 99998, &r, 0, NULL), PS_ESRCH);
	ck_assert_int_eq(pt(t, PS_PT_GETREGS, 99998, NULL, 0, NULL), PS_ESRCH);
	ck_assert_int_eq(pt(t, PS_PT_IO, -1, NULL, 0, NULL), PS_EFAULT);
}
END_TEST

/* ====================================================================== */

static Suite *
ptrace_mem_suite(void)
{
	Suite *s = suite_create("ptrace_mem");
	TCase *tc;

	tc = tcase_create("memory");
	tcase_add_checked_fixture(tc, t_setup, t_teardown);
	tcase_add_test(tc, s25_io_read_inside_one_page);
	tcase_add_test(tc, s26_io_read_into_hole);
	tcase_add_test(tc, s27_io_write_into_hole);
	tcase_add_test(tc, s28_breakpoint_into_text);
	tcase_add_test(tc, w1_w2_cow_not_visible_to_fork_parent);
	tcase_add_test(tc, s29_w5_shared_page_write_refused);
	tcase_add_test(tc, s29_w6_r5_prot_none_and_exec_only);
	tcase_add_test(tc, w3_write_into_readonly_private_mapping);
	tcase_add_test(tc, w5b_private_mapping_without_max_write);
	tcase_add_test(tc, s30_word_straddling_pages);
	tcase_add_test(tc, s31_zero_length_and_bad_op);
	tcase_add_test(tc, s32_tracer_buffer_faults);
	tcase_add_test(tc, r6_untouched_anonymous_reads_zero);
	tcase_add_test(tc, e1_enomem_injected);
	tcase_add_test(tc, io_len_2_32_refused);
	tcase_add_test(tc, icache_sync_per_executable_chunk);
	tcase_add_test(tc, e3_userwr_even_on_failed_writes);
	tcase_add_test(tc, e3_userwr_on_failed_io_write);
	suite_add_tcase(s, tc);

	tc = tcase_create("info");
	tcase_add_checked_fixture(tc, t_setup, t_teardown);
	tcase_add_test(tc, s37_lwpinfo_rev_b);
	tcase_add_test(tc, s37_lwpinfo_rev_a);
	tcase_add_test(tc, s38_vm_entry_iteration);
	tcase_add_test(tc, s39_map_timestamp);
	tcase_add_test(tc, s40_unknown_requests);
	suite_add_tcase(s, tc);

	tc = tcase_create("threads");
	tcase_add_checked_fixture(tc, t_setup, t_teardown);
	tcase_add_test(tc, s33_suspend_one_thread);
	tcase_add_test(tc, s33_suspend_resume_flag_only);
	tcase_add_test(tc, s33_detach_clears_suspend);
	tcase_add_test(tc, tracer_exit_releases_suspended_thread);
	tcase_add_test(tc, s34_lwp_count_and_list);
	tcase_add_test(tc, s35_thread_addressing);
	tcase_add_test(tc, s36_clearstep_self_exception);
	suite_add_tcase(s, tc);

	tc = tcase_create("procctl");
	tcase_add_checked_fixture(tc, t_setup, t_teardown);
	tcase_add_test(tc, s41_set_inherit_clear_and_errors);
	tcase_add_test(tc, s41_descend);
	tcase_add_test(tc, s41_command_idtype_lookup_errors);
	tcase_add_test(tc, s41_pgid_results);
	tcase_add_test(tc, s41_pgid_zero_is_swappers_group);
	tcase_add_test(tc, s41_inherit_across_fork);
	tcase_add_test(tc, s41_descend_terminates_on_attach_cycle);
	tcase_add_test(tc, s41_procctl_from_program_inherits);
	suite_add_tcase(s, tc);

	tc = tcase_create("programs");
	tcase_add_checked_fixture(tc, t_setup, t_teardown);
	tcase_add_test(tc, program_tracer_reads_writes_continues);
	tcase_add_test(tc, program_copyin_precedes_lookup);
	tcase_add_test(tc, program_copyin_precedes_negative_pid);
	tcase_add_test(tc, api_copyin_precedes_lookup);
	suite_add_tcase(s, tc);

	return s;
}

int
main(void)
{
	return t_run(ptrace_mem_suite());
}
