/*
 * The interpreter (src/cpu/interp.c) against cpu.h and docs/isa.md.
 *
 * Goal: every instruction's effect, the flags and every branch condition,
 * the stack instructions, work split across budgets with exact cycle
 * counts, the exits (sys, brk, tag, faults, SIGILL, SIGFPE) with pc where
 * the contract puts it, and exact budgets.  Method: programs are encoded
 * here instruction by instruction (not through the assembler, which
 * test_asm covers) into a fake memory: a few host pages behind a translate
 * function with per-page protections, one of which copies its frame on
 * the first write as copy-on-write does.
 */
#include <stdlib.h>
#include <string.h>

#include <procsim/proc.h>
#include <procsim/program.h>

#include "cpu/cpu.h"
#include "cpu/isa.h"
#include "testlib.h"
#include "vm/vm.h"

#define TEXT VM_TEXT_BASE
#define DATA (VM_TEXT_BASE + 1 * PAGE_SIZE)   /* rw- */
#define RODATA (VM_TEXT_BASE + 2 * PAGE_SIZE) /* r-- */
#define BUSPG (VM_TEXT_BASE + 3 * PAGE_SIZE)  /* translate says SIGBUS */
#define COWPG (VM_TEXT_BASE + 4 * PAGE_SIZE)  /* rw-, copied on first write */
#define DATA2 (VM_TEXT_BASE + 5 * PAGE_SIZE)  /* rw-, right after COWPG */
#define HOLE (VM_TEXT_BASE + 8 * PAGE_SIZE)   /* unmapped */
#define STACKTOP 0x7fff0000ull                /* stack page below it, rw- */

struct fpage {
	uint64_t va;
	int prot;
	int bus;        /* translate fails with SIGBUS */
	int cow;        /* a write first copies the frame */
	uint8_t *host;
};

struct fmem {
	struct fpage pg[8];
	int n;
	int translations;
	uint8_t *old_cow;  /* The frame a write copied away from (still readable). */
};

static struct fmem M;

static uint8_t *
fake_translate(void *ctx, uint64_t addr, int access, int *sig)
{
	struct fmem *m = ctx;

	m->translations++;
	for (int i = 0; i < m->n; i++) {
		struct fpage *p = &m->pg[i];

		if (trunc_page(addr) != p->va)
			continue;
		if (p->bus) {
			*sig = PS_SIGBUS;
			return NULL;
		}
		if (!(p->prot & access)) {
			*sig = PS_SIGSEGV;
			return NULL;
		}
		if (access == VM_PROT_WRITE && p->cow) {
			uint8_t *copy = malloc(PAGE_SIZE);

			memcpy(copy, p->host, PAGE_SIZE);
			m->old_cow = p->host;  /* Freed at teardown: a stale cache would read it. */
			p->host = copy;
			p->cow = 0;
		}
		return p->host + (addr & PAGE_MASK);
	}
	*sig = PS_SIGSEGV;
	return NULL;
}

static const struct cpu_mem_ops fops = { fake_translate };

static void
addpage(uint64_t va, int prot, int bus, int cow)
{
	struct fpage *p = &M.pg[M.n++];

	p->va = va;
	p->prot = prot;
	p->bus = bus;
	p->cow = cow;
	p->host = calloc(1, PAGE_SIZE);
}

static void
setup(void)
{
	memset(&M, 0, sizeof(M));
	addpage(TEXT, VM_PROT_READ | VM_PROT_EXECUTE, 0, 0);
	addpage(DATA, VM_PROT_READ | VM_PROT_WRITE, 0, 0);
	addpage(RODATA, VM_PROT_READ, 0, 0);
	addpage(BUSPG, VM_PROT_ALL, 1, 0);
	addpage(COWPG, VM_PROT_READ | VM_PROT_WRITE, 0, 1);
	addpage(DATA2, VM_PROT_READ | VM_PROT_WRITE, 0, 0);
	addpage(STACKTOP - PAGE_SIZE, VM_PROT_READ | VM_PROT_WRITE, 0, 0);
}

static void
teardown(void)
{
	for (int i = 0; i < M.n; i++)
		free(M.pg[i].host);
	free(M.old_cow);
}

static uint8_t *
host(uint64_t va)
{
	for (int i = 0; i < M.n; i++)
		if (M.pg[i].va == trunc_page(va))
			return M.pg[i].host + (va & PAGE_MASK);
	ck_abort_msg("no page for 0x%llx", (unsigned long long)va);
	return NULL;
}

/* Program building: the text page, one instruction after the other. */
static uint64_t tpc;

static void
prog(void)
{
	tpc = TEXT;
	memset(host(TEXT), 0, PAGE_SIZE);
}

static uint64_t
I(unsigned op, unsigned rd, unsigned rs, unsigned rt, int32_t imm)
{
	uint64_t at = tpc;

	isa_encode(host(tpc), op, rd, rs, rt, imm);
	tpc += CPU_INSN_SIZE;
	return at;
}

static struct cpu_regs R;

static void
regs_reset(void)
{
	memset(&R, 0, sizeof(R));
	R.pc = TEXT;
	R.sp = STACKTOP;
}

static struct cpu_exit
run(uint64_t max, uint64_t sys_cycles)
{
	struct cpu_exit ex;

	memset(&ex, 0xa5, sizeof(ex));
	cpu_run(&R, &fops, &M, max, sys_cycles, &ex);
	return ex;
}

/* Run from TEXT until the sys at the end of the program. */
static struct cpu_exit
run_to_sys(void)
{
	struct cpu_exit ex = run(100000, 1);

	ck_assert_int_eq(ex.reason, CPU_EXIT_SYSCALL);
	return ex;
}

/* li, lih, mov, with sp as a register. */
START_TEST(moves)
{
	prog();
	I(OP_LI, 1, 0, 0, -5);
	I(OP_LI, 2, 0, 0, 0x7fffffff);
	I(OP_LI, 3, 0, 0, 0x12345678);
	I(OP_LIH, 3, 0, 0, (int32_t)0x9abcdef0);
	I(OP_LI, 4, 0, 0, -1);
	I(OP_LIH, 4, 0, 0, 0);
	I(OP_MOV, 5, ISA_REG_SP, 0, 0);
	I(OP_LI, 6, 0, 0, 0x1000);
	I(OP_MOV, ISA_REG_SP, 6, 0, 0);
	I(OP_MOV, 15, 1, 0, 0);
	I(OP_NOP, 0, 0, 0, 0);
	I(OP_SYS, 0, 0, 0, 20);
	regs_reset();
	run_to_sys();
	ck_assert_uint_eq(R.r[1], (uint64_t)-5);
	ck_assert_uint_eq(R.r[2], 0x7fffffff);
	ck_assert_uint_eq(R.r[3], 0x9abcdef012345678ull);
	ck_assert_uint_eq(R.r[4], 0xffffffffull);
	ck_assert_uint_eq(R.r[5], STACKTOP);
	ck_assert_uint_eq(R.sp, 0x1000);
	ck_assert_uint_eq(R.r[15], (uint64_t)-5);
}
END_TEST

struct alu_case {
	unsigned op;
	uint64_t a, b, want;
};

static const struct alu_case alu_cases[] = {
	{ OP_ADD, 5, 7, 12 },
	{ OP_ADD, UINT64_MAX, 2, 1 },
	{ OP_SUB, 5, 7, (uint64_t)-2 },
	{ OP_MUL, (uint64_t)-3, 7, (uint64_t)-21 },
	{ OP_MUL, 0x100000000ull, 0x100000000ull, 0 },
	{ OP_DIV, 7, 2, 3 },
	{ OP_DIV, (uint64_t)-7, 2, (uint64_t)-3 },  /* Truncates toward zero. */
	{ OP_DIV, 7, (uint64_t)-2, (uint64_t)-3 },
	{ OP_DIV, 0x8000000000000000ull, (uint64_t)-1, 0x8000000000000000ull },
	{ OP_MOD, 7, 3, 1 },
	{ OP_MOD, (uint64_t)-7, 3, (uint64_t)-1 },
	{ OP_MOD, 7, (uint64_t)-3, 1 },
	{ OP_MOD, 0x8000000000000000ull, (uint64_t)-1, 0 },
	{ OP_AND, 0xff0f, 0x0ff0, 0x0f00 },
	{ OP_OR, 0xf000, 0x000f, 0xf00f },
	{ OP_XOR, 0xff, 0x0f, 0xf0 },
	{ OP_SHL, 1, 63, 0x8000000000000000ull },
	{ OP_SHL, 1, 64, 1 },  /* Shift counts are taken mod 64. */
	{ OP_SHL, 3, 65, 6 },
	{ OP_SHR, 0x8000000000000000ull, 63, 1 },
	{ OP_SHR, (uint64_t)-16, 2, 0x3ffffffffffffffcull },
	{ OP_SAR, (uint64_t)-16, 2, (uint64_t)-4 },
	{ OP_SAR, 0x8000000000000000ull, 63, UINT64_MAX },
	{ OP_SAR, 16, 2, 4 },
	{ OP_SAR, (uint64_t)-1, 0, (uint64_t)-1 },
};

/* Every ALU operation with a register and (where b fits) an immediate operand. */
START_TEST(alu)
{
	for (size_t k = 0; k < sizeof(alu_cases) / sizeof(alu_cases[0]); k++) {
		const struct alu_case *c = &alu_cases[k];
		int64_t sb = (int64_t)c->b;

		regs_reset();
		R.r[1] = c->a;
		R.r[2] = c->b;
		/* Register form, destination distinct and equal to a source. */
		prog();
		I(c->op, 3, 1, 2, 0);
		I(c->op, 1, 1, 2, 0);
		if (sb >= INT32_MIN && sb <= INT32_MAX)
			I(c->op + 0x10, 4, 5, 0, (int32_t)sb);
		I(OP_SYS, 0, 0, 0, 1);
		R.r[5] = c->a;
		run_to_sys();
		ck_assert_msg(R.r[3] == c->want, "case %zu: op 0x%x: got 0x%llx want 0x%llx", k, c->op,
		              (unsigned long long)R.r[3], (unsigned long long)c->want);
		ck_assert_uint_eq(R.r[1], c->want);
		if (sb >= INT32_MIN && sb <= INT32_MAX)
			ck_assert_msg(R.r[4] == c->want, "case %zu: imm form of op 0x%x", k, c->op);
	}
}
END_TEST

/* cmp sets exactly Z, N and C; arithmetic leaves the flags alone. */
START_TEST(cmp_flags)
{
	static const struct {
		uint64_t a, b, flags;
	} cases[] = {
		{ 5, 5, CPU_FL_Z },
		{ 3, 5, CPU_FL_N | CPU_FL_C },
		{ 5, 3, 0 },
		{ (uint64_t)-1, 1, CPU_FL_N },          /* -1 < 1 signed; not unsigned. */
		{ 1, (uint64_t)-1, CPU_FL_C },          /* 1 > -1 signed; < unsigned. */
		{ 0x8000000000000000ull, 0x7fffffffffffffffull, CPU_FL_N },
		{ 0, 0, CPU_FL_Z },
	};

	for (size_t k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
		prog();
		I(OP_CMP, 0, 1, 2, 0);
		I(OP_ADD, 3, 1, 2, 0);
		I(OP_SYS, 0, 0, 0, 1);
		regs_reset();
		R.flags = 0x7;
		R.r[1] = cases[k].a;
		R.r[2] = cases[k].b;
		run_to_sys();
		ck_assert_msg(R.flags == cases[k].flags, "case %zu: flags %llu", k,
		              (unsigned long long)R.flags);
		if ((int64_t)cases[k].b >= INT32_MIN && (int64_t)cases[k].b <= INT32_MAX) {
			prog();
			I(OP_CMPI, 0, 1, 0, (int32_t)(int64_t)cases[k].b);
			I(OP_SYS, 0, 0, 0, 1);
			regs_reset();
			R.r[1] = cases[k].a;
			run_to_sys();
			ck_assert_msg(R.flags == cases[k].flags, "cmpi case %zu", k);
		}
	}
}
END_TEST

/* Each conditional branch, on each flag outcome: taken exactly when it should be. */
START_TEST(branches)
{
	static const int64_t vals[] = { -2, -1, 0, 1, 2 };
	static const unsigned ops[] = { OP_BEQ, OP_BNE, OP_BLT, OP_BGE, OP_BLE, OP_BGT,
	                                OP_BLTU, OP_BGEU, OP_BLEU, OP_BGTU, OP_B };

	for (size_t o = 0; o < sizeof(ops) / sizeof(ops[0]); o++)
		for (size_t x = 0; x < 5; x++)
			for (size_t y = 0; y < 5; y++) {
				int64_t a = vals[x], b = vals[y];
				uint64_t ua = (uint64_t)a, ub = (uint64_t)b;
				int want;
				uint64_t target;

				switch (ops[o]) {
				case OP_BEQ: want = a == b; break;
				case OP_BNE: want = a != b; break;
				case OP_BLT: want = a < b; break;
				case OP_BGE: want = a >= b; break;
				case OP_BLE: want = a <= b; break;
				case OP_BGT: want = a > b; break;
				case OP_BLTU: want = ua < ub; break;
				case OP_BGEU: want = ua >= ub; break;
				case OP_BLEU: want = ua <= ub; break;
				case OP_BGTU: want = ua > ub; break;
				default: want = 1; break;
				}
				prog();
				I(OP_CMP, 0, 1, 2, 0);
				target = TEXT + 5 * 8;
				I(ops[o], 0, 0, 0, (int32_t)target);
				I(OP_LI, 0, 0, 0, 1);   /* not taken */
				I(OP_SYS, 0, 0, 0, 1);
				I(OP_NOP, 0, 0, 0, 0);
				I(OP_LI, 0, 0, 0, 2);   /* taken */
				I(OP_SYS, 0, 0, 0, 1);
				regs_reset();
				R.r[1] = ua;
				R.r[2] = ub;
				run_to_sys();
				ck_assert_msg(R.r[0] == (want ? 2u : 1u), "op 0x%x a %lld b %lld: r0 %llu",
				              ops[o], (long long)a, (long long)b,
				              (unsigned long long)R.r[0]);
			}
}
END_TEST

/* beqz, bnez and br. */
START_TEST(branch_on_register)
{
	for (int v = 0; v < 2; v++)
		for (int bnez = 0; bnez < 2; bnez++) {
			prog();
			I(bnez ? OP_BNEZ : OP_BEQZ, 0, 3, 0, (int32_t)(TEXT + 24));
			I(OP_LI, 0, 0, 0, 1);
			I(OP_SYS, 0, 0, 0, 1);
			I(OP_LI, 0, 0, 0, 2);
			I(OP_SYS, 0, 0, 0, 1);
			regs_reset();
			R.r[3] = (uint64_t)v;
			run_to_sys();
			ck_assert_uint_eq(R.r[0], (v != 0) == bnez ? 2 : 1);
		}
	prog();
	I(OP_BR, 0, 7, 0, 0);
	I(OP_SYS, 0, 0, 0, 1);
	I(OP_SYS, 0, 0, 0, 2);
	regs_reset();
	R.r[7] = TEXT + 16;
	ck_assert_int_eq(run_to_sys().code, 2);
	ck_assert_uint_eq(R.pc, TEXT + 24);
}
END_TEST

/* call pushes the return address, ret pops it; callr; push and pop. */
START_TEST(call_ret_push_pop)
{
	prog();
	I(OP_LI, 1, 0, 0, 11);              /* 0x00 */
	I(OP_PUSH, 0, 1, 0, 0);             /* 0x08 */
	I(OP_CALL, 0, 0, 0, (int32_t)(TEXT + 0x40)); /* 0x10 */
	I(OP_CALLR, 0, 9, 0, 0);            /* 0x18 */
	I(OP_POP, 2, 0, 0, 0);              /* 0x20 */
	I(OP_PUSH, 0, ISA_REG_SP, 0, 0);    /* 0x28: push sp stores the old sp */
	I(OP_POP, 3, 0, 0, 0);              /* 0x30 */
	I(OP_SYS, 0, 0, 0, 1);              /* 0x38 */
	I(OP_LD, 4, ISA_REG_SP, 0, 0);      /* 0x40: the return address */
	I(OP_ADDI, 5, 5, 0, 1);             /* 0x48 */
	I(OP_RET, 0, 0, 0, 0);              /* 0x50 */
	regs_reset();
	R.r[9] = TEXT + 0x40;
	run_to_sys();
	ck_assert_uint_eq(R.r[4], TEXT + 0x20);   /* From callr (the last call). */
	ck_assert_uint_eq(R.r[5], 2);
	ck_assert_uint_eq(R.r[2], 11);
	ck_assert_uint_eq(R.r[3], STACKTOP);   /* push sp pushed the old sp */
	ck_assert_uint_eq(R.sp, STACKTOP);
	ck_assert_uint_eq(isa_load64(host(STACKTOP - 8)), STACKTOP);
	ck_assert_uint_eq(isa_load64(host(STACKTOP - 16)), TEXT + 0x20);

	/* pop sp loads sp from the stack. */
	prog();
	I(OP_POP, ISA_REG_SP, 0, 0, 0);
	I(OP_SYS, 0, 0, 0, 1);
	regs_reset();
	R.sp = STACKTOP - 8;
	isa_store64(host(STACKTOP - 8), 0x1234);
	run_to_sys();
	ck_assert_uint_eq(R.sp, 0x1234);
}
END_TEST

/* Loads and stores of every width, base + displacement and absolute. */
START_TEST(loads_stores)
{
	prog();
	I(OP_LI, 1, 0, 0, 0x11223344);
	I(OP_LIH, 1, 0, 0, (int32_t)0x85667788);
	I(OP_LI, 2, 0, 0, (int32_t)(DATA + 0x100));
	I(OP_ST, 1, 2, 0, 8);                     /* [DATA+0x108] */
	I(OP_STW, 1, 2, 0, -4);                   /* [DATA+0xfc] low 32 */
	I(OP_STB, 1, 2, 0, 3);                    /* [DATA+0x103] low byte */
	I(OP_LD, 3, 2, 0, 8);
	I(OP_LDW, 4, 2, 0, 12);                   /* high half of the quad */
	I(OP_LDB, 5, 2, 0, 15);                   /* top byte: 0x85, zero-extended */
	I(OP_STA, 1, 0, 0, (int32_t)(DATA + 0x200));
	I(OP_STWA, 1, 0, 0, (int32_t)(DATA + 0x208));
	I(OP_STBA, 1, 0, 0, (int32_t)(DATA + 0x20c));
	I(OP_LDA, 6, 0, 0, (int32_t)(DATA + 0x200));
	I(OP_LDWA, 7, 0, 0, (int32_t)(DATA + 0x208));
	I(OP_LDBA, 8, 0, 0, (int32_t)(DATA + 0x20c));
	I(OP_LDB, 10, 2, 0, -0x100);              /* first byte of the data page */
	I(OP_SYS, 0, 0, 0, 1);
	regs_reset();
	*host(DATA) = 0xee;
	run_to_sys();
	ck_assert_uint_eq(R.r[3], 0x8566778811223344ull);
	ck_assert_uint_eq(R.r[4], 0x85667788ull);
	ck_assert_uint_eq(R.r[5], 0x85);
	ck_assert_uint_eq(isa_load32(host(DATA + 0xfc)), 0x11223344u);
	ck_assert_uint_eq(*host(DATA + 0x103), 0x44);
	ck_assert_uint_eq(*host(DATA + 0x108), 0x44);  /* Little-endian in memory. */
	ck_assert_uint_eq(*host(DATA + 0x10f), 0x85);
	ck_assert_uint_eq(R.r[6], 0x8566778811223344ull);
	ck_assert_uint_eq(R.r[7], 0x11223344u);
	ck_assert_uint_eq(R.r[8], 0x44);
	ck_assert_uint_eq(R.r[10], 0xee);
}
END_TEST

/* Consecutive pages: accesses on either side of a boundary hit the right frames. */
START_TEST(page_boundary)
{
	prog();
	I(OP_LI, 1, 0, 0, 0x55);
	I(OP_LI, 2, 0, 0, (int32_t)DATA2);
	I(OP_ST, 1, 2, 0, -8);    /* last quad of COWPG */
	I(OP_ST, 1, 2, 0, 0);     /* first quad of DATA2 */
	I(OP_LD, 3, 2, 0, -8);
	I(OP_LD, 4, 2, 0, 0);
	I(OP_SYS, 0, 0, 0, 1);
	regs_reset();
	run_to_sys();
	ck_assert_uint_eq(R.r[3], 0x55);
	ck_assert_uint_eq(R.r[4], 0x55);
	ck_assert_uint_eq(isa_load64(host(DATA2 - 8)), 0x55);
	ck_assert_uint_eq(isa_load64(host(DATA2)), 0x55);
}
END_TEST

/*
 * A write that copies the frame (copy-on-write) must not leave the read
 * cache pointing at the old one.
 */
START_TEST(write_after_read_sees_copy)
{
	prog();
	I(OP_LI, 2, 0, 0, (int32_t)COWPG);
	I(OP_LD, 3, 2, 0, 0);     /* fills the read cache with the shared frame */
	I(OP_LI, 1, 0, 0, 99);
	I(OP_ST, 1, 2, 0, 0);     /* copies */
	I(OP_LD, 4, 2, 0, 0);
	I(OP_SYS, 0, 0, 0, 1);
	regs_reset();
	isa_store64(host(COWPG), 7);
	run_to_sys();
	ck_assert_uint_eq(R.r[3], 7);
	ck_assert_uint_eq(R.r[4], 99);
	ck_assert_uint_eq(isa_load64(M.old_cow), 7);  /* The other sharer's copy is untouched. */
}
END_TEST

/* One translation per page per run on the hot path: the fetch page is cached. */
START_TEST(fetch_cache)
{
	struct cpu_exit ex;

	prog();
	I(OP_LI, 1, 0, 0, 1000);
	I(OP_SUBI, 1, 1, 0, 1);
	I(OP_LD, 2, ISA_REG_SP, 0, -8);
	I(OP_ST, 2, ISA_REG_SP, 0, -16);
	I(OP_BNEZ, 0, 1, 0, (int32_t)(TEXT + 8));
	I(OP_SYS, 0, 0, 0, 1);
	regs_reset();
	M.translations = 0;
	ex = run(1000000, 1);
	ck_assert_int_eq(ex.reason, CPU_EXIT_SYSCALL);
	ck_assert_uint_eq(ex.insns, 1 + 4 * 1000 + 1);
	/* Fetch, read, write, and the read again after the write dropped it. */
	ck_assert_int_le(M.translations, 4);
}
END_TEST

static void
expect_fault(struct cpu_exit ex, int reason, int sig, uint64_t pc)
{
	ck_assert_int_eq(ex.reason, reason);
	ck_assert_int_eq(ex.sig, sig);
	ck_assert_uint_eq(R.pc, pc);
}

/* Memory faults: the signal translate gives, the address, pc on the instruction. */
START_TEST(faults)
{
	struct cpu_exit ex;
	uint64_t at;

	/* Unmapped read. */
	prog();
	I(OP_LI, 2, 0, 0, (int32_t)HOLE);
	at = I(OP_LD, 3, 2, 0, 0x18);
	regs_reset();
	R.r[3] = 42;
	ex = run(100, 1);
	expect_fault(ex, CPU_EXIT_FAULT, PS_SIGSEGV, at);
	ck_assert_uint_eq(ex.addr, HOLE + 0x18);
	ck_assert_uint_eq(ex.insns, 1);
	ck_assert_uint_eq(ex.cycles, 2);
	ck_assert_uint_eq(R.r[3], 42);   /* Unchanged. */

	/* Write to a read-only page. */
	prog();
	at = I(OP_STBA, 1, 0, 0, (int32_t)(RODATA + 5));
	regs_reset();
	ex = run(100, 1);
	expect_fault(ex, CPU_EXIT_FAULT, PS_SIGSEGV, at);
	ck_assert_uint_eq(ex.addr, RODATA + 5);
	/* ...which reads fine. */
	prog();
	I(OP_LDBA, 1, 0, 0, (int32_t)(RODATA + 5));
	I(OP_SYS, 0, 0, 0, 1);
	regs_reset();
	run_to_sys();

	/* SIGBUS from translate is passed on. */
	prog();
	at = I(OP_LDA, 1, 0, 0, (int32_t)(BUSPG + 8));
	regs_reset();
	ex = run(100, 1);
	expect_fault(ex, CPU_EXIT_FAULT, PS_SIGBUS, at);
	ck_assert_uint_eq(ex.addr, BUSPG + 8);

	/* Misaligned 64- and 32-bit accesses: SIGBUS, without translating. */
	{
		static const struct {
			unsigned op;
			int32_t off;
		} mis[] = { { OP_LD, 4 }, { OP_ST, 1 }, { OP_LDW, 2 }, { OP_STW, 6 },
		            { OP_LDWA, 0 }, { OP_STA, 0 } };

		for (size_t k = 0; k < sizeof(mis) / sizeof(mis[0]); k++) {
			uint64_t a;

			prog();
			I(OP_LI, 2, 0, 0, (int32_t)DATA);
			if (mis[k].op == OP_LDWA || mis[k].op == OP_STA) {
				a = DATA + 3;
				at = I(mis[k].op, 1, 0, 0, (int32_t)a);
			} else {
				a = DATA + (uint64_t)mis[k].off;
				at = I(mis[k].op, 1, 2, 0, mis[k].off);
			}
			regs_reset();
			ex = run(100, 1);
			expect_fault(ex, CPU_EXIT_FAULT, PS_SIGBUS, at);
			ck_assert_uint_eq(ex.addr, a);
		}
	}
	/* Bytes may be anywhere. */
	prog();
	I(OP_LDBA, 1, 0, 0, (int32_t)(DATA + 7));
	I(OP_SYS, 0, 0, 0, 1);
	regs_reset();
	run_to_sys();

	/* A push that faults leaves sp alone. */
	prog();
	at = I(OP_PUSH, 0, 1, 0, 0);
	regs_reset();
	R.sp = HOLE + 64;
	ex = run(100, 1);
	expect_fault(ex, CPU_EXIT_FAULT, PS_SIGSEGV, at);
	ck_assert_uint_eq(ex.addr, HOLE + 56);
	ck_assert_uint_eq(R.sp, HOLE + 64);
	/* So does a call; a misaligned sp is SIGBUS. */
	prog();
	at = I(OP_CALL, 0, 0, 0, (int32_t)TEXT);
	regs_reset();
	R.sp = STACKTOP - 4;
	ex = run(100, 1);
	expect_fault(ex, CPU_EXIT_FAULT, PS_SIGBUS, at);
	ck_assert_uint_eq(R.sp, STACKTOP - 4);
	/* ret and pop from an unmapped stack. */
	prog();
	at = I(OP_RET, 0, 0, 0, 0);
	regs_reset();
	R.sp = HOLE;
	ex = run(100, 1);
	expect_fault(ex, CPU_EXIT_FAULT, PS_SIGSEGV, at);
	ck_assert_uint_eq(R.sp, HOLE);
	prog();
	at = I(OP_POP, 1, 0, 0, 0);
	regs_reset();
	R.sp = HOLE;
	ex = run(100, 1);
	expect_fault(ex, CPU_EXIT_FAULT, PS_SIGSEGV, at);
}
END_TEST

/* Instruction fetch: from an unmapped page, a non-executable page, a misaligned pc. */
START_TEST(fetch_faults)
{
	struct cpu_exit ex;

	prog();
	I(OP_B, 0, 0, 0, (int32_t)HOLE);
	regs_reset();
	ex = run(100, 1);
	expect_fault(ex, CPU_EXIT_FAULT, PS_SIGSEGV, HOLE);
	ck_assert_uint_eq(ex.addr, HOLE);
	ck_assert_uint_eq(ex.insns, 1);
	ck_assert_uint_eq(ex.cycles, 2);

	regs_reset();
	R.pc = DATA;   /* rw-: not executable */
	ex = run(100, 1);
	expect_fault(ex, CPU_EXIT_FAULT, PS_SIGSEGV, DATA);
	ck_assert_uint_eq(ex.addr, DATA);

	prog();
	I(OP_B, 0, 0, 0, (int32_t)(TEXT + 4));
	regs_reset();
	ex = run(100, 1);
	expect_fault(ex, CPU_EXIT_FAULT, PS_SIGBUS, TEXT + 4);
	ck_assert_uint_eq(ex.addr, TEXT + 4);

	/* Falling off the end of the text page into an unmapped one. */
	memset(&M.pg[0].host[0], 0, PAGE_SIZE);
	for (uint64_t a = TEXT; a < TEXT + PAGE_SIZE; a += 8)
		isa_encode(host(a), OP_NOP, 0, 0, 0, 0);
	regs_reset();
	M.pg[1].prot = VM_PROT_READ;  /* DATA follows TEXT: make it non-executable. */
	ex = run(10000, 1);
	expect_fault(ex, CPU_EXIT_FAULT, PS_SIGSEGV, TEXT + PAGE_SIZE);
	ck_assert_uint_eq(ex.insns, PAGE_SIZE / 8);
}
END_TEST

/* Undefined opcodes, register fields out of range, unused fields not zero. */
START_TEST(illegal)
{
	static const uint8_t bad[][8] = {
		{ 0x00, 0, 0, 0, 0, 0, 0, 0 },       /* opcode 0 */
		{ 0xff, 0, 0, 0, 0, 0, 0, 0 },
		{ 0x05, 0, 0, 0, 0, 0, 0, 0 },
		{ OP_MOV, 17, 0, 0, 0, 0, 0, 0 },    /* rd 17 */
		{ OP_ADD, 1, 2, 200, 0, 0, 0, 0 },   /* rt 200 */
		{ OP_NOP, 1, 0, 0, 0, 0, 0, 0 },     /* unused rd */
		{ OP_LI, 1, 2, 0, 5, 0, 0, 0 },      /* unused rs */
		{ OP_ADD, 1, 2, 3, 1, 0, 0, 0 },     /* unused imm */
		{ OP_RET, 0, 0, 0, 0, 0, 0, 1 },
	};

	for (size_t k = 0; k < sizeof(bad) / sizeof(bad[0]); k++) {
		struct cpu_exit ex;

		prog();
		I(OP_NOP, 0, 0, 0, 0);
		memcpy(host(tpc), bad[k], 8);
		regs_reset();
		ex = run(100, 1);
		expect_fault(ex, CPU_EXIT_ILL, PS_SIGILL, TEXT + 8);
		ck_assert_uint_eq(ex.insns, 1);
		ck_assert_uint_eq(ex.cycles, 2);
		ck_assert(!isa_valid(bad[k]));
	}
}
END_TEST

/* Division by zero, register and immediate, div and mod. */
START_TEST(fpe)
{
	static const unsigned ops[] = { OP_DIV, OP_MOD, OP_DIVI, OP_MODI };

	for (size_t k = 0; k < 4; k++) {
		struct cpu_exit ex;
		uint64_t at;

		prog();
		at = I(ops[k], 1, 2, ops[k] < OP_ADDI ? 3 : 0, 0);
		regs_reset();
		R.r[1] = 5;
		R.r[2] = 10;
		ex = run(100, 1);
		expect_fault(ex, CPU_EXIT_FPE, PS_SIGFPE, at);
		ck_assert_uint_eq(R.r[1], 5);
	}
}
END_TEST

/* sys: the number, pc past it, sys_cycles charged even past the budget. */
START_TEST(sys_exit)
{
	struct cpu_exit ex;

	prog();
	I(OP_NOP, 0, 0, 0, 0);
	I(OP_SYS, 0, 0, 0, PS_SYSNO_getpid);
	I(OP_SYS, 0, 0, 0, -7);
	regs_reset();
	ex = run(2, 50);
	ck_assert_int_eq(ex.reason, CPU_EXIT_SYSCALL);
	ck_assert_int_eq(ex.code, PS_SYSNO_getpid);
	ck_assert_uint_eq(R.pc, TEXT + 16);
	ck_assert_uint_eq(ex.insns, 2);
	ck_assert_uint_eq(ex.cycles, 51);   /* Over the budget of 2 by the sys's cost. */
	ck_assert_int_eq(ex.sig, 0);
	ex = run(100, 3);
	ck_assert_int_eq(ex.code, -7);
	ck_assert_uint_eq(ex.cycles, 3);
	ck_assert_uint_eq(ex.insns, 1);
}
END_TEST

/* brk stays on itself; tag reports the string and moves on. */
START_TEST(brk_and_tag)
{
	struct cpu_exit ex;

	prog();
	I(OP_NOP, 0, 0, 0, 0);
	I(OP_BRK, 0, 0, 0, 0);
	I(OP_TAG, 0, 0, 0, (int32_t)(DATA + 16));
	regs_reset();
	ex = run(100, 1);
	expect_fault(ex, CPU_EXIT_BRK, PS_SIGTRAP, TEXT + 8);
	ck_assert_uint_eq(ex.insns, 1);
	ck_assert_uint_eq(ex.cycles, 2);
	ex = run(100, 1);   /* Still there: a debugger must move pc. */
	expect_fault(ex, CPU_EXIT_BRK, PS_SIGTRAP, TEXT + 8);
	R.pc += 8;
	ex = run(100, 1);
	ck_assert_int_eq(ex.reason, CPU_EXIT_TAG);
	ck_assert_uint_eq(ex.addr, DATA + 16);
	ck_assert_uint_eq(R.pc, TEXT + 24);
	ck_assert_uint_eq(ex.insns, 1);
	ck_assert_uint_eq(ex.cycles, 1);
}
END_TEST

/* The budget is exact: a loop stops after exactly max_cycles instructions. */
START_TEST(budget_exact)
{
	struct cpu_exit ex;

	prog();
	I(OP_ADDI, 1, 1, 0, 1);
	I(OP_B, 0, 0, 0, (int32_t)TEXT);
	regs_reset();
	ex = run(0, 1);
	ck_assert_int_eq(ex.reason, CPU_EXIT_BUDGET);
	ck_assert_uint_eq(ex.cycles, 0);
	ck_assert_uint_eq(ex.insns, 0);
	ck_assert_uint_eq(R.pc, TEXT);
	ex = run(1, 1);   /* A step. */
	ck_assert_int_eq(ex.reason, CPU_EXIT_BUDGET);
	ck_assert_uint_eq(ex.cycles, 1);
	ck_assert_uint_eq(ex.insns, 1);
	ck_assert_uint_eq(R.pc, TEXT + 8);
	ck_assert_uint_eq(R.r[1], 1);
	ex = run(1001, 1);
	ck_assert_uint_eq(ex.cycles, 1001);
	ck_assert_uint_eq(ex.insns, 1001);
	ck_assert_uint_eq(R.r[1], 1 + 500);  /* b, addi, b, ..., b */
	ck_assert_uint_eq(R.pc, TEXT);
}
END_TEST

/* work N burns N cycles, is cut at the budget and resumed, never overshoots. */
START_TEST(work_split)
{
	struct cpu_exit ex;
	uint64_t at;

	prog();
	I(OP_NOP, 0, 0, 0, 0);
	at = I(OP_WORK, 0, 0, 0, 100);
	I(OP_NOP, 0, 0, 0, 0);
	I(OP_SYS, 0, 0, 0, 1);
	regs_reset();
	ex = run(30, 5);
	ck_assert_int_eq(ex.reason, CPU_EXIT_BUDGET);
	ck_assert_uint_eq(ex.cycles, 30);
	ck_assert_uint_eq(ex.insns, 1);
	ck_assert_uint_eq(R.pc, at);
	ck_assert_uint_eq(R.work_left, 71);
	ex = run(50, 5);
	ck_assert_uint_eq(ex.cycles, 50);
	ck_assert_uint_eq(ex.insns, 0);
	ck_assert_uint_eq(R.pc, at);
	ck_assert_uint_eq(R.work_left, 21);
	/* 21 to finish, then nop (1) and sys (5): 27 cycles, 3 instructions. */
	ex = run(23, 5);
	ck_assert_int_eq(ex.reason, CPU_EXIT_SYSCALL);
	ck_assert_uint_eq(ex.cycles, 27);
	ck_assert_uint_eq(ex.insns, 3);
	ck_assert_uint_eq(R.work_left, 0);
	ck_assert_uint_eq(R.pc, at + 24);

	/* Exactly the budget: completes, and the run ends there. */
	regs_reset();
	R.pc = at;
	ex = run(100, 5);
	ck_assert_int_eq(ex.reason, CPU_EXIT_BUDGET);
	ck_assert_uint_eq(ex.cycles, 100);
	ck_assert_uint_eq(ex.insns, 1);
	ck_assert_uint_eq(R.pc, at + 8);
	ck_assert_uint_eq(R.work_left, 0);

	/* Budget 1 on a work: one cycle at a time. */
	regs_reset();
	R.pc = at;
	for (int k = 0; k < 99; k++) {
		ex = run(1, 5);
		ck_assert_uint_eq(ex.cycles, 1);
		ck_assert_uint_eq(R.pc, at);
	}
	ck_assert_uint_eq(R.work_left, 1);
	ex = run(1, 5);
	ck_assert_uint_eq(ex.insns, 1);
	ck_assert_uint_eq(R.pc, at + 8);
	ck_assert_uint_eq(R.work_left, 0);
}
END_TEST

/* work 0 is one cycle; work rs takes the count from a register (64-bit). */
START_TEST(work_forms)
{
	struct cpu_exit ex;

	prog();
	I(OP_WORK, 0, 0, 0, 0);
	I(OP_WORKR, 0, 3, 0, 0);
	I(OP_WORK, 0, 0, 0, -1);   /* imm is unsigned: 4294967295 cycles */
	I(OP_SYS, 0, 0, 0, 1);
	regs_reset();
	R.r[3] = 0x200000000ull;
	ex = run(UINT64_MAX, 0);
	ck_assert_int_eq(ex.reason, CPU_EXIT_SYSCALL);
	ck_assert_uint_eq(ex.cycles, 1 + 0x200000000ull + 0xffffffffull);
	ck_assert_uint_eq(ex.insns, 4);
	/* A zero register is one cycle too. */
	prog();
	I(OP_WORKR, 0, 3, 0, 0);
	I(OP_SYS, 0, 0, 0, 1);
	regs_reset();
	ex = run(100, 1);
	ck_assert_uint_eq(ex.cycles, 2);
}
END_TEST

/* A remainder left with pc moved off the work (the kernel forgot it) is dropped. */
START_TEST(work_left_stale)
{
	struct cpu_exit ex;

	prog();
	I(OP_NOP, 0, 0, 0, 0);
	I(OP_WORK, 0, 0, 0, 10);
	I(OP_SYS, 0, 0, 0, 1);
	regs_reset();
	R.work_left = 1000;
	ex = run(100, 1);
	ck_assert_int_eq(ex.reason, CPU_EXIT_SYSCALL);
	ck_assert_uint_eq(ex.cycles, 1 + 10 + 1);
	ck_assert_uint_eq(R.work_left, 0);
}
END_TEST

/* The signal trampoline. */
START_TEST(sigcode)
{
	char buf[64];
	struct cpu_exit ex;

	cpu_disasm(cpu_sigcode, 0, buf, sizeof(buf));
	ck_assert_str_eq(buf, "mov r0, sp");
	cpu_disasm(cpu_sigcode + 8, 0, buf, sizeof(buf));
	ck_assert_str_eq(buf, "sys sigreturn");
	cpu_disasm(cpu_sigcode + 16, 0, buf, sizeof(buf));
	ck_assert_str_eq(buf, "brk");
	prog();
	memcpy(host(TEXT), cpu_sigcode, sizeof(cpu_sigcode));
	regs_reset();
	R.sp = STACKTOP - 128;
	ex = run(100, 1);
	ck_assert_int_eq(ex.reason, CPU_EXIT_SYSCALL);
	ck_assert_int_eq(ex.code, 417);
	ck_assert_uint_eq(R.r[0], STACKTOP - 128);
	ex = run(100, 1);
	ck_assert_int_eq(ex.reason, CPU_EXIT_BRK);
}
END_TEST

/* The disassembler's syntax for each form. */
START_TEST(disasm_forms)
{
	static const struct {
		uint8_t op, rd, rs, rt;
		int32_t imm;
		const char *text;
	} cases[] = {
		{ OP_NOP, 0, 0, 0, 0, "nop" },
		{ OP_LI, 1, 0, 0, -5, "li r1, -5" },
		{ OP_LIH, 15, 0, 0, 1, "lih r15, 1" },
		{ OP_MOV, 16, 2, 0, 0, "mov sp, r2" },
		{ OP_ADD, 1, 2, 3, 0, "add r1, r2, r3" },
		{ OP_SARI, 1, 2, 0, 3, "sar r1, r2, 3" },
		{ OP_LD, 1, 16, 0, -8, "ld r1, [sp-8]" },
		{ OP_STB, 1, 2, 0, 16, "stb r1, [r2+16]" },
		{ OP_LDW, 1, 2, 0, 0, "ldw r1, [r2]" },
		{ OP_STA, 3, 0, 0, 0x401000, "st r3, [0x401000]" },
		{ OP_CMP, 0, 1, 2, 0, "cmp r1, r2" },
		{ OP_CMPI, 0, 1, 0, -1, "cmp r1, -1" },
		{ OP_BGEU, 0, 0, 0, 0x400010, "bgeu 0x400010" },
		{ OP_BNEZ, 0, 4, 0, 0x400000, "bnez r4, 0x400000" },
		{ OP_CALLR, 0, 5, 0, 0, "callr r5" },
		{ OP_POP, 6, 0, 0, 0, "pop r6" },
		{ OP_SYS, 0, 0, 0, 37, "sys kill" },
		{ OP_SYS, 0, 0, 0, 9999, "sys 9999" },
		{ OP_WORK, 0, 0, 0, -1, "work 4294967295" },
		{ OP_WORKR, 0, 7, 0, 0, "work r7" },
		{ OP_TAG, 0, 0, 0, 0x401008, "tag 0x401008" },
		{ OP_RET, 0, 0, 0, 0, "ret" },
	};
	uint8_t insn[8];
	char buf[64];

	for (size_t k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
		isa_encode(insn, cases[k].op, cases[k].rd, cases[k].rs, cases[k].rt, cases[k].imm);
		ck_assert_int_eq(cpu_disasm(insn, TEXT, buf, sizeof(buf)), (int)strlen(cases[k].text));
		ck_assert_str_eq(buf, cases[k].text);
	}
	memset(insn, 0, sizeof(insn));
	cpu_disasm(insn, TEXT, buf, sizeof(buf));
	ck_assert(strncmp(buf, "(bad)", 5) == 0);
	/* Truncation follows snprintf. */
	isa_encode(insn, OP_ADD, 1, 2, 3, 0);
	ck_assert_int_eq(cpu_disasm(insn, TEXT, buf, 4), 14);
	ck_assert_str_eq(buf, "add");
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("cpu");
	TCase *tc = tcase_create("interp");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, moves);
	tcase_add_test(tc, alu);
	tcase_add_test(tc, cmp_flags);
	tcase_add_test(tc, branches);
	tcase_add_test(tc, branch_on_register);
	tcase_add_test(tc, call_ret_push_pop);
	tcase_add_test(tc, loads_stores);
	tcase_add_test(tc, page_boundary);
	tcase_add_test(tc, write_after_read_sees_copy);
	tcase_add_test(tc, fetch_cache);
	tcase_add_test(tc, faults);
	tcase_add_test(tc, fetch_faults);
	tcase_add_test(tc, illegal);
	tcase_add_test(tc, fpe);
	tcase_add_test(tc, sys_exit);
	tcase_add_test(tc, brk_and_tag);
	tcase_add_test(tc, budget_exact);
	tcase_add_test(tc, work_split);
	tcase_add_test(tc, work_forms);
	tcase_add_test(tc, work_left_stale);
	tcase_add_test(tc, sigcode);
	tcase_add_test(tc, disasm_forms);
	suite_add_tcase(s, tc);
	return t_run(s);
}
