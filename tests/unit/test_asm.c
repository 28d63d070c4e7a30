/*
 * The assembler and the disassembler (src/cpu/asm.c, disasm.c) against
 * cpu.h and docs/isa.md.
 *
 * Goal: what each line assembles to, the layout (labels, sections, the
 * string pool, the entry), the `sys` argument loading as a parallel move,
 * every error with its exact line and column, the limits, that no input
 * crashes it, and that disassembling any valid instruction and assembling
 * the text gives the same bytes.  Method: images are checked byte by byte
 * or run on the interpreter over a fake memory built from the image.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <procsim/error.h>
#include <procsim/proc.h>
#include <procsim/program.h>

#include "cpu/cpu.h"
#include "cpu/isa.h"
#include "testlib.h"
#include "vm/vm.h"

#define STACKTOP 0x7fff0000ull

/* ---- A memory made from an image: text r-x, data rw-, one stack page. */

struct region {
	uint64_t start, len;
	int prot;
	uint8_t *bytes;
};

static struct region regs_mem[3];

static uint8_t *
img_translate(void *ctx, uint64_t addr, int access, int *sig)
{
	(void)ctx;
	for (int i = 0; i < 3; i++) {
		struct region *r = &regs_mem[i];

		if (r->bytes != NULL && addr >= r->start && addr < r->start + r->len) {
			if (!(r->prot & access)) {
				*sig = PS_SIGSEGV;
				return NULL;
			}
			return r->bytes + (addr - r->start);
		}
	}
	*sig = PS_SIGSEGV;
	return NULL;
}

static const struct cpu_mem_ops img_ops = { img_translate };

static void
mem_load(const struct asm_image *img)
{
	uint64_t tl = round_page(img->text_len), dl = round_page(img->data_len);

	memset(regs_mem, 0, sizeof(regs_mem));
	regs_mem[0] = (struct region){ VM_TEXT_BASE, tl, VM_PROT_READ | VM_PROT_EXECUTE,
	                               calloc(1, tl) };
	memcpy(regs_mem[0].bytes, img->text, img->text_len);
	if (dl > 0) {
		regs_mem[1] = (struct region){ VM_DATA_BASE(img->text_len), dl,
		                               VM_PROT_READ | VM_PROT_WRITE, calloc(1, dl) };
		memcpy(regs_mem[1].bytes, img->data, img->data_len);
	}
	regs_mem[2] = (struct region){ STACKTOP - PAGE_SIZE, PAGE_SIZE, VM_PROT_READ | VM_PROT_WRITE,
	                               calloc(1, PAGE_SIZE) };
}

static void
mem_free(void)
{
	for (int i = 0; i < 3; i++)
		free(regs_mem[i].bytes);
	memset(regs_mem, 0, sizeof(regs_mem));
}

static const uint8_t *
mem_at(uint64_t addr)
{
	int sig;

	return img_translate(NULL, addr, VM_PROT_READ, &sig);
}

/* ---- Helpers. */

static int
resolve_tty(void *arg, const char *name, int64_t *value)
{
	(void)arg;
	if (strcmp(name, "tty0") == 0) {
		*value = 7;
		return 0;
	}
	if (strcmp(name, "big") == 0) {
		*value = 0x100000000ll;
		return 0;
	}
	return -1;
}

static struct asm_image
assemble_ok(const char *src)
{
	struct asm_image img;
	struct asm_error err;
	int rc = asm_assemble(src, resolve_tty, NULL, &img, &err);

	ck_assert_msg(rc == 0, "assembly failed: %d:%d: %s\n%s", err.line, err.column, err.message,
	              src);
	return img;
}

/* Assemble and run to the first exit that is not the budget. */
static struct cpu_exit
run_src(const char *src, struct cpu_regs *r, struct asm_image *keep)
{
	struct asm_image img = assemble_ok(src);
	struct cpu_exit ex;

	mem_load(&img);
	if (r->pc == 0)
		r->pc = img.entry;
	r->sp = STACKTOP;
	cpu_run(r, &img_ops, NULL, 1000000, 1, &ex);
	if (keep != NULL)
		*keep = img;
	else
		asm_image_free(&img);
	return ex;
}

static void
expect_insn(const struct asm_image *img, size_t idx, unsigned op, unsigned rd, unsigned rs,
            unsigned rt, int32_t imm)
{
	uint8_t want[8];
	char got[64], exp[64];

	ck_assert_uint_gt(img->text_len, idx * 8);
	isa_encode(want, op, rd, rs, rt, imm);
	if (memcmp(img->text + idx * 8, want, 8) != 0) {
		cpu_disasm(img->text + idx * 8, 0, got, sizeof(got));
		cpu_disasm(want, 0, exp, sizeof(exp));
		ck_abort_msg("insn %zu: got '%s', want '%s'", idx, got, exp);
	}
}

/* ---- Encodings. */

START_TEST(encodings)
{
	struct asm_image img = assemble_ok(
	    "\tnop\n"
	    "  LI R1, -5          ; comment\n"
	    "  mov r2, sp         # another comment\n"
	    "  add r1, r2, r3\n"
	    "  add r1, r2, 5\n"
	    "  add r1, 5\n"
	    "  sub r4, r5\n"
	    "  ld r1, [r2+16]\n"
	    "  st r1, [sp-8]\n"
	    "  ldb r1, [ r2 ]\n"
	    "  stw r3, [0x401000]\n"
	    "  cmp r1, r2\n"
	    "  cmp r1, 'a'\n"
	    "  push r1\n"
	    "  pop r2\n"
	    "  callr r3\n"
	    "  ret\n"
	    "  work 100\n"
	    "  work r9\n"
	    "  brk\n"
	    "  mov r3, 12\n"
	    "  sys getpid\n"
	    "  sys 9999\n"
	    "  sar r1, r1, -1\n");

	expect_insn(&img, 0, OP_NOP, 0, 0, 0, 0);
	expect_insn(&img, 1, OP_LI, 1, 0, 0, -5);
	expect_insn(&img, 2, OP_MOV, 2, ISA_REG_SP, 0, 0);
	expect_insn(&img, 3, OP_ADD, 1, 2, 3, 0);
	expect_insn(&img, 4, OP_ADDI, 1, 2, 0, 5);
	expect_insn(&img, 5, OP_ADDI, 1, 1, 0, 5);
	expect_insn(&img, 6, OP_SUB, 4, 4, 5, 0);
	expect_insn(&img, 7, OP_LD, 1, 2, 0, 16);
	expect_insn(&img, 8, OP_ST, 1, ISA_REG_SP, 0, -8);
	expect_insn(&img, 9, OP_LDB, 1, 2, 0, 0);
	expect_insn(&img, 10, OP_STWA, 3, 0, 0, 0x401000);
	expect_insn(&img, 11, OP_CMP, 0, 1, 2, 0);
	expect_insn(&img, 12, OP_CMPI, 0, 1, 0, 'a');
	expect_insn(&img, 13, OP_PUSH, 0, 1, 0, 0);
	expect_insn(&img, 14, OP_POP, 2, 0, 0, 0);
	expect_insn(&img, 15, OP_CALLR, 0, 3, 0, 0);
	expect_insn(&img, 16, OP_RET, 0, 0, 0, 0);
	expect_insn(&img, 17, OP_WORK, 0, 0, 0, 100);
	expect_insn(&img, 18, OP_WORKR, 0, 9, 0, 0);
	expect_insn(&img, 19, OP_BRK, 0, 0, 0, 0);
	expect_insn(&img, 20, OP_LI, 3, 0, 0, 12);
	expect_insn(&img, 21, OP_SYS, 0, 0, 0, PS_SYSNO_getpid);
	expect_insn(&img, 22, OP_SYS, 0, 0, 0, 9999);
	expect_insn(&img, 23, OP_SARI, 1, 1, 0, -1);
	ck_assert_uint_eq(img.ninsns, 24);
	ck_assert_uint_eq(img.text_len, 24 * 8);
	ck_assert_uint_eq(img.data_len, 0);
	ck_assert_ptr_null(img.data);
	ck_assert_uint_eq(img.entry, VM_TEXT_BASE);
	asm_image_free(&img);
}
END_TEST

/* Labels: forward and backward, several on a line, expressions, the entry. */
START_TEST(labels)
{
	struct asm_image img = assemble_ok(
	    "top:  b fwd\n"              /* 0x400000 */
	    "      beq top\n"            /* 0x400008 */
	    "a: b: bnez r1, b\n"         /* 0x400010 */
	    "fwd:\n"
	    "start: call sub+8\n"        /* 0x400018 */
	    "      ld r1, [val]\n"       /* 0x400020 */
	    "      la r2, val+8\n"       /* 0x400028 */
	    "sub:  nop\n"                /* 0x400030 */
	    "      ret\n"                /* 0x400038 */
	    "      .data\n"
	    "      .byte 1\n"
	    "      .align 8\n"
	    "val:  .quad fwd, -1\n"
	    "      .text\n"
	    "tail: li r3, tail - top\n");/* 0x400040 */
	uint64_t db = VM_DATA_BASE(9 * 8);

	expect_insn(&img, 0, OP_B, 0, 0, 0, 0x400018);
	expect_insn(&img, 1, OP_BEQ, 0, 0, 0, 0x400000);
	expect_insn(&img, 2, OP_BNEZ, 0, 1, 0, 0x400010);
	expect_insn(&img, 3, OP_CALL, 0, 0, 0, 0x400038);
	expect_insn(&img, 4, OP_LDA, 1, 0, 0, (int32_t)(db + 8));
	expect_insn(&img, 5, OP_LI, 2, 0, 0, (int32_t)(db + 16));
	expect_insn(&img, 8, OP_LI, 3, 0, 0, 0x40);
	ck_assert_uint_eq(img.entry, 0x400018);
	ck_assert_uint_eq(img.data_len, 24);
	ck_assert_uint_eq(img.data[0], 1);
	ck_assert_uint_eq(isa_load64(img.data + 8), 0x400018);
	ck_assert_uint_eq(isa_load64(img.data + 16), UINT64_MAX);
	ck_assert_uint_eq(img.nsyms, 8);
	ck_assert_str_eq(img.syms[0].name, "top");
	ck_assert_str_eq(img.syms[2].name, "b");
	ck_assert_uint_eq(img.syms[2].addr, 0x400010);
	ck_assert_str_eq(img.syms[6].name, "val");
	ck_assert_uint_eq(img.syms[6].addr, db + 8);
	ck_assert_str_eq(img.syms[7].name, "tail");
	asm_image_free(&img);
}
END_TEST

/* li and mov with a 64-bit constant: li + lih when it does not fit in 32 bits signed. */
START_TEST(li_expansion)
{
	static const struct {
		const char *val;
		uint64_t want;
		int insns;
	} cases[] = {
		{ "0", 0, 1 },
		{ "-1", UINT64_MAX, 1 },
		{ "0x7fffffff", 0x7fffffff, 1 },
		{ "-2147483648", 0xffffffff80000000ull, 1 },
		{ "0x80000000", 0x80000000ull, 2 },
		{ "0xffffffff", 0xffffffffull, 2 },
		{ "-2147483649", 0xffffffff7fffffffull, 2 },
		{ "0x123456789abcdef0", 0x123456789abcdef0ull, 2 },
		{ "0xffffffffffffffff", UINT64_MAX, 1 },
		{ "18446744073709551615", UINT64_MAX, 1 },
		{ "0x8000000000000000", 0x8000000000000000ull, 2 },
		{ "-0x8000000000000000", 0x8000000000000000ull, 2 },
	};
	char src[128];

	for (size_t k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
		struct cpu_regs r;
		struct asm_image img;
		struct cpu_exit ex;

		for (int mov = 0; mov < 2; mov++) {
			memset(&r, 0, sizeof(r));
			r.r[5] = 0x5555555555555555ull;
			snprintf(src, sizeof(src), "%s r5, %s\nsys exit\n", mov ? "mov" : "li",
			         cases[k].val);
			ex = run_src(src, &r, &img);
			ck_assert_int_eq(ex.reason, CPU_EXIT_SYSCALL);
			ck_assert_msg(r.r[5] == cases[k].want, "%s: got 0x%llx", cases[k].val,
			              (unsigned long long)r.r[5]);
			ck_assert_uint_eq(img.ninsns, (unsigned)cases[k].insns + 1);
			asm_image_free(&img);
			mem_free();
		}
	}
}
END_TEST

/* Strings, bytes, quads, space and alignment in .data; escapes. */
START_TEST(data_directives)
{
	struct asm_image img = assemble_ok(
	    "  .data\n"
	    "msg: .asciz \"hi\\n\\t\\\\\\\"\\0x\"\n"   /* h i \n \t \\ " \0 x \0 : 9 bytes */
	    "raw: .ascii \"ab\", \"c\"\n"
	    "     .byte 'z', -1, 255, '\\n', 0x10\n"
	    "     .align 16\n"
	    "q:   .quad 0x1122334455667788, msg\n"
	    "sp0: .space 3\n"
	    "end: .byte 9\n"
	    "  .text\n"
	    "start: la r1, msg\n"
	    "  ldb r2, [r1+2]\n"
	    "  ld r3, [q]\n"
	    "  sys exit\n");
	uint64_t db = VM_DATA_BASE(img.text_len);
	static const uint8_t msg[] = { 'h', 'i', '\n', '\t', '\\', '"', 0, 'x', 0 };
	struct cpu_regs r;
	struct cpu_exit ex;

	ck_assert_mem_eq(img.data, msg, sizeof(msg));
	ck_assert_mem_eq(img.data + 9, "abc", 3);
	ck_assert_mem_eq(img.data + 12, "z\xff\xff\n\x10", 5);
	ck_assert_uint_eq(isa_load64(img.data + 32), 0x1122334455667788ull);
	ck_assert_uint_eq(isa_load64(img.data + 40), db);
	ck_assert_uint_eq(img.data[48], 0);
	ck_assert_uint_eq(img.data[51], 9);
	ck_assert_uint_eq(img.data_len, 52);
	ck_assert_str_eq(img.syms[2].name, "q");
	ck_assert_uint_eq(img.syms[2].addr, db + 32);
	ck_assert_uint_eq(img.syms[3].addr, db + 48);
	ck_assert_uint_eq(img.syms[4].addr, db + 51);
	asm_image_free(&img);

	memset(&r, 0, sizeof(r));
	ex = run_src("  .data\n"
	             "msg: .asciz \"hi\\n\\t\\\\\\\"\\0x\"\n"
	             "     .align 8\n"
	             "q:   .quad 0x1122334455667788, msg\n"
	             "  .text\n"
	             "start: la r1, msg\n"
	             "  ldb r2, [r1+2]\n"
	             "  ld r3, [q]\n"
	             "  sys exit\n", &r, NULL);
	ck_assert_int_eq(ex.reason, CPU_EXIT_SYSCALL);
	ck_assert_uint_eq(r.r[2], '\n');
	ck_assert_uint_eq(r.r[3], 0x1122334455667788ull);
	mem_free();
}
END_TEST

/* sys NAME args: r0, r1, ... loaded; strings go to the pool after the data. */
START_TEST(sys_arguments)
{
	struct cpu_regs r;
	struct cpu_exit ex;
	struct asm_image img;

	memset(&r, 0, sizeof(r));
	ex = run_src("start: li r5, 3\n"
	             "  sys wait4 -1, r5, SIGTSTP, tty0\n", &r, NULL);
	ck_assert_int_eq(ex.reason, CPU_EXIT_SYSCALL);
	ck_assert_int_eq(ex.code, PS_SYSNO_wait4);
	ck_assert_uint_eq(r.r[0], UINT64_MAX);
	ck_assert_uint_eq(r.r[1], 3);
	ck_assert_uint_eq(r.r[2], PS_SIGTSTP);
	ck_assert_uint_eq(r.r[3], 7);
	mem_free();

	memset(&r, 0, sizeof(r));
	ex = run_src(".data\nx: .byte 1\n.text\n"
	             "  sys execve \"prog\", x, \"second\", sigkill, 0x123456789\n", &r, &img);
	ck_assert_int_eq(ex.code, PS_SYSNO_execve);
	ck_assert_uint_eq(img.data_len, 1 + 5 + 7);
	ck_assert_uint_eq(r.r[0], VM_DATA_BASE(img.text_len) + 1);
	ck_assert_str_eq((const char *)mem_at(r.r[0]), "prog");
	ck_assert_uint_eq(r.r[1], VM_DATA_BASE(img.text_len));
	ck_assert_str_eq((const char *)mem_at(r.r[2]), "second");
	ck_assert_uint_eq(r.r[3], PS_SIGKILL);
	ck_assert_uint_eq(r.r[4], 0x123456789ull);
	asm_image_free(&img);
	mem_free();

	/* A comma after the name is accepted; case does not matter. */
	memset(&r, 0, sizeof(r));
	ex = run_src("SYS KILL, 5, SigHup\n", &r, NULL);
	ck_assert_int_eq(ex.code, PS_SYSNO_kill);
	ck_assert_uint_eq(r.r[0], 5);
	ck_assert_uint_eq(r.r[1], PS_SIGHUP);
	mem_free();
}
END_TEST

/* The swap: sys kill r1, r0 exchanges r0 and r1 with three xors. */
START_TEST(sys_swap)
{
	struct cpu_regs r;
	struct cpu_exit ex;
	struct asm_image img;

	memset(&r, 0, sizeof(r));
	r.r[0] = 100;
	r.r[1] = 200;
	ex = run_src("sys kill r1, r0\n", &r, &img);
	ck_assert_int_eq(ex.reason, CPU_EXIT_SYSCALL);
	ck_assert_uint_eq(r.r[0], 200);
	ck_assert_uint_eq(r.r[1], 100);
	ck_assert_uint_eq(img.ninsns, 4);
	asm_image_free(&img);
	mem_free();
}
END_TEST

/*
 * Every assignment of r0-r3 (repetitions included) to four arguments,
 * with a constant, sp and a high register mixed in: the result is always
 * what a parallel assignment gives.
 */
START_TEST(sys_parallel_moves)
{
	char src[128];

	for (int code = 0; code < 256; code++) {
		int s[4] = { code & 3, (code >> 2) & 3, (code >> 4) & 3, (code >> 6) & 3 };

		for (int extra = 0; extra < 2; extra++) {
			struct cpu_regs r;
			struct cpu_exit ex;

			memset(&r, 0, sizeof(r));
			for (int k = 0; k < 16; k++)
				r.r[k] = 1000 + (uint64_t)k;
			if (extra)
				snprintf(src, sizeof(src), "sys 1000 r%d, r%d, r%d, r%d, 77, sp, r9\n", s[0],
				         s[1], s[2], s[3]);
			else
				snprintf(src, sizeof(src), "sys 1000 r%d, r%d, r%d, r%d\n", s[0], s[1], s[2],
				         s[3]);
			ex = run_src(src, &r, NULL);
			mem_free();
			ck_assert_int_eq(ex.reason, CPU_EXIT_SYSCALL);
			for (int k = 0; k < 4; k++)
				ck_assert_msg(r.r[k] == 1000 + (uint64_t)s[k], "%s: r%d = %llu", src, k,
				              (unsigned long long)r.r[k]);
			if (extra) {
				ck_assert_uint_eq(r.r[4], 77);
				ck_assert_uint_eq(r.r[5], STACKTOP);
				ck_assert_uint_eq(r.r[6], 1009);
			}
		}
	}
	/* A rotation through six registers, and a cycle plus a chain hanging off it. */
	{
		struct cpu_regs r;

		memset(&r, 0, sizeof(r));
		for (int k = 0; k < 16; k++)
			r.r[k] = (uint64_t)k;
		run_src("sys 1 r5, r0, r1, r2, r3, r4, r2\n", &r, NULL);
		mem_free();
		ck_assert_uint_eq(r.r[0], 5);
		ck_assert_uint_eq(r.r[1], 0);
		ck_assert_uint_eq(r.r[5], 4);
		ck_assert_uint_eq(r.r[6], 2);
	}
}
END_TEST

/* tag NAME: the string is placed after the data; tag "name" and tag ADDRESS too. */
START_TEST(tags)
{
	struct cpu_regs r;
	struct cpu_exit ex;
	struct asm_image img;

	memset(&r, 0, sizeof(r));
	ex = run_src(".data\n.quad 1\n.text\ntag worker_1\ntag \"job two\"\ntag 0x1234\n", &r, &img);
	ck_assert_int_eq(ex.reason, CPU_EXIT_TAG);
	ck_assert_uint_eq(ex.addr, VM_DATA_BASE(img.text_len) + 8);
	ck_assert_str_eq((const char *)mem_at(ex.addr), "worker_1");
	cpu_run(&r, &img_ops, NULL, 100, 1, &ex);
	ck_assert_int_eq(ex.reason, CPU_EXIT_TAG);
	ck_assert_str_eq((const char *)mem_at(ex.addr), "job two");
	cpu_run(&r, &img_ops, NULL, 100, 1, &ex);
	ck_assert_uint_eq(ex.addr, 0x1234);
	ck_assert_uint_eq(img.data_len, 8 + 9 + 8);
	asm_image_free(&img);
	mem_free();
}
END_TEST

/* Signal names, character literals and resolver names are immediates. */
START_TEST(immediates)
{
	struct asm_image img = assemble_ok("li r1, SIGCONT\n"
	                                   "li r2, 'A'\n"
	                                   "li r3, '\\''\n"
	                                   "li r4, tty0 + 1\n"
	                                   "li r5, --5\n"
	                                   "li r6, 10 - 3 + SIGHUP\n"
	                                   "cmp r1, -0x10\n");

	expect_insn(&img, 0, OP_LI, 1, 0, 0, PS_SIGCONT);
	expect_insn(&img, 1, OP_LI, 2, 0, 0, 'A');
	expect_insn(&img, 2, OP_LI, 3, 0, 0, '\'');
	expect_insn(&img, 3, OP_LI, 4, 0, 0, 8);
	expect_insn(&img, 4, OP_LI, 5, 0, 0, 5);
	expect_insn(&img, 5, OP_LI, 6, 0, 0, 8);
	expect_insn(&img, 6, OP_CMPI, 0, 1, 0, -16);
	asm_image_free(&img);
}
END_TEST

/* The loop example of docs/isa.md §13 runs and exits with 55. */
START_TEST(doc_example)
{
	struct cpu_regs r;
	struct cpu_exit ex;

	memset(&r, 0, sizeof(r));
	ex = run_src("start:  li r1, 10\n"
	             "        li r2, 0\n"
	             "loop:   call step\n"
	             "        sub r1, 1\n"
	             "        bnez r1, loop\n"
	             "        sys exit r2             ; exit status 55\n"
	             "step:   add r2, r1\n"
	             "        ret\n", &r, NULL);
	mem_free();
	ck_assert_int_eq(ex.reason, CPU_EXIT_SYSCALL);
	ck_assert_int_eq(ex.code, PS_SYSNO_exit);
	ck_assert_uint_eq(r.r[0], 55);
	ck_assert_uint_eq(r.sp, STACKTOP);
	/* 2 + 10 * (call, add, ret, sub, bnez) + mov + sys */
	ck_assert_uint_eq(ex.insns, 2 + 50 + 2);
}
END_TEST

/* ---- Errors: where and what. */

static const struct {
	const char *src;
	int line, col;
	const char *msg;
} errors[] = {
	{ "  foo r1\n", 1, 3, "unknown mnemonic 'foo'" },
	{ "nop\n\tbogus r1", 2, 2, "unknown mnemonic 'bogus'" },
	{ "add r1", 1, 7, "missing operand for 'add' (expected 2 to 3, got 1)" },
	{ "add r1, r2, r3, r4", 1, 17, "too many operands for 'add'" },
	{ "ret r1", 1, 5, "too many operands for 'ret'" },
	{ "mov r1, r16", 1, 9, "bad register 'r16'" },
	{ "mov r1, r01", 1, 9, "bad register 'r01'" },
	{ "li r1, [r2]", 1, 8, "'li' expects an immediate or a string as operand 2, got a memory operand" },
	{ "ld r1, r2", 1, 8, "'ld' expects a memory operand as operand 2, got a register" },
	{ "cmp 5, r1", 1, 5, "'cmp' expects a register as operand 1, got an immediate" },
	{ "add r1, r2, [r3]", 1, 13, "operand 3" },
	{ "add r1, r2, 0x80000000", 1, 13, "immediate out of range" },
	{ "ld r1, [r2-0x80000001]", 1, 11, "displacement out of range" },
	{ "b nowhere", 1, 3, "undefined label 'nowhere'" },
	{ "nop\nbeqz r1, nowhere + 8", 2, 10, "undefined label 'nowhere'" },
	{ "x: nop\n  x: nop", 2, 3, "duplicate label 'x' (first defined at line 1)" },
	{ ".data\n.asciz \"abc", 2, 8, "unterminated string" },
	{ ".data\n.ascii \"a\\qb\"", 2, 10, "bad escape '\\q'" },
	{ "sys frobnicate", 1, 5, "unknown syscall name 'frobnicate'" },
	{ "sys", 1, 4, "'sys' expects a syscall name or number" },
	{ "sys kill [r1]", 1, 10, "memory operand cannot be a syscall argument" },
	{ "sys exit 1,2,3,4,5,6,7,8,9", 1, 26, "too many operands" },
	{ ".frob", 1, 1, "unknown directive '.frob'" },
	{ "nop\n.quad 5", 2, 1, "data directive '.quad' in the .text section" },
	{ ".data\nnop", 2, 1, "instruction 'nop' in the .data section" },
	{ "li r1, tty9", 1, 8, "unknown symbol 'tty9'" },
	{ "li r1, big", 1, 8, "does not fit in 32 bits" },
	{ "li r1, x + 0x100000000\nx: nop", 1, 8, "does not fit in 32 bits" },
	{ "", 1, 1, "program has no instructions" },
	{ "; only a comment\n.data\n.byte 1\n", 1, 1, "program has no instructions" },
	{ "ld r1, [r2+8", 1, 13, "expected ']'" },
	{ "add r1, r2 r3", 1, 12, "expected ',' or end of line, got 'r3'" },
	{ "li r1, 99999999999999999999", 1, 8, "number out of range" },
	{ "li r1, 0x", 1, 8, "bad number" },
	{ "li r1, 12ab", 1, 8, "bad number '12a'" },
	{ "li r1, 'ab'", 1, 8, "unterminated character literal" },
	{ "li r1, ''", 1, 8, "bad character literal" },
	{ "nop @", 1, 5, "unexpected character '@'" },
	{ "nop \x01", 1, 5, "unexpected byte 0x01" },
	{ "r1: nop", 1, 1, "'r1' is a register name, not a label" },
	{ "SIGINT: nop", 1, 1, "'SIGINT' is a signal name, not a label" },
	{ "abcdefghijabcdefghijabcdefghijabc: nop", 1, 1, "label name too long" },
	{ ".data\nstart: .quad 0\n.text\nnop", 2, 1, "label 'start' (the entry point) must be in .text" },
	{ ".data\n.align 3", 2, 8, "alignment must be a power of two" },
	{ ".data\n.align 8192", 2, 8, "alignment out of range" },
	{ ".data\n.byte 256", 2, 7, "byte value out of range" },
	{ ".data\n.byte -129", 2, 7, "byte value out of range" },
	{ ".data\n.space x", 2, 8, "size must be a constant" },
	{ ".data\n.ascii 5", 2, 8, "expects a string" },
	{ ".data\n.quad", 2, 6, "missing operand for '.quad'" },
	{ ".text 5", 1, 7, "too many operands for '.text'" },
	{ "work -1", 1, 6, "work count out of range" },
	{ "work 4294967296", 1, 6, "work count out of range" },
	{ "5: nop", 1, 1, "expected a label, instruction or directive, got '5'" },
	{ "tag", 1, 4, "'tag' expects a name" },
	{ "tag a b", 1, 7, "expected end of line after the tag name" },
	{ "tag \"\"", 1, 5, "empty tag name" },
	{ "li r1, 5 + r2", 1, 12, "register 'r2' is not allowed here" },
	{ "li r1, 5 +", 1, 11, "expected a number or symbol, got end of line" },
	{ "b .data", 1, 3, "directive '.data' is not allowed here" },
	{ "lih r1, 0x80000000", 1, 9, "immediate out of range" },
	{ "sys 0x80000000", 1, 5, "syscall number out of range" },
	{ "sys tty0", 1, 5, "unknown syscall name 'tty0'" },
	{ "nop\n.data\n.space 1048577", 3, 8, "size out of range" },
	{ "nop\n.data\n.space 1048576\n.byte 1", 4, 7, "data exceeds 1048576 bytes" },
	{ "nop\n.data\n.space 1048570\n.text\nsys execve \"abcdefgh\"", 5, 12,
	  "data exceeds 1048576 bytes (strings included)" },
	{ "li r1, \"a\\", 1, 10, "bad escape: backslash at end of line" },
};

START_TEST(error_positions)
{
	for (size_t k = 0; k < sizeof(errors) / sizeof(errors[0]); k++) {
		struct asm_image img;
		struct asm_error err;
		int rc;

		memset(&img, 0x5a, sizeof(img));
		rc = asm_assemble(errors[k].src, resolve_tty, NULL, &img, &err);
		ck_assert_msg(rc == PS_EINVAL, "case %zu (%s): rc %d", k, errors[k].src, rc);
		ck_assert_msg(err.line == errors[k].line && err.column == errors[k].col &&
		                  strstr(err.message, errors[k].msg) != NULL,
		              "case %zu (%s): got %d:%d: %s; want %d:%d: %s", k, errors[k].src, err.line,
		              err.column, err.message, errors[k].line, errors[k].col, errors[k].msg);
		/* A failed assembly leaves nothing to free. */
		ck_assert_ptr_null(img.text);
		ck_assert_ptr_null(img.data);
		ck_assert_ptr_null(img.syms);
	}
}
END_TEST

/* Without a resolver every other name is unknown; a NULL err is allowed. */
START_TEST(no_resolver)
{
	struct asm_image img;
	struct asm_error err;

	ck_assert_int_eq(asm_assemble("li r1, tty0", NULL, NULL, &img, &err), PS_EINVAL);
	ck_assert_str_eq(err.message, "unknown symbol 'tty0' (not a label, signal or known name)");
	ck_assert_int_eq(asm_assemble("bogus", NULL, NULL, &img, NULL), PS_EINVAL);
	ck_assert_int_eq(asm_assemble(NULL, NULL, NULL, &img, &err), PS_EINVAL);
	ck_assert_int_eq(asm_assemble("nop", NULL, NULL, NULL, &err), PS_EINVAL);
	asm_image_free(NULL);
}
END_TEST

/* 1 MiB of text is the limit: one instruction more is an error on its line. */
START_TEST(text_limit)
{
	size_t n = (1u << 20) / 8;
	char *src = malloc(n * 4 + 16);
	struct asm_image img;
	struct asm_error err;

	for (size_t k = 0; k < n; k++)
		memcpy(src + k * 4, "nop\n", 4);
	src[n * 4] = '\0';
	ck_assert_int_eq(asm_assemble(src, NULL, NULL, &img, &err), 0);
	ck_assert_uint_eq(img.text_len, 1u << 20);
	asm_image_free(&img);
	strcpy(src + n * 4, "  brk\n");
	ck_assert_int_eq(asm_assemble(src, NULL, NULL, &img, &err), PS_EINVAL);
	ck_assert_int_eq(err.line, (int)n + 1);
	ck_assert_int_eq(err.column, 3);
	ck_assert_str_eq(err.message, "program text exceeds 1048576 bytes");
	free(src);
}
END_TEST

/* ---- The round trip: disassemble every valid instruction form, reassemble, compare. */

START_TEST(disasm_round_trip)
{
	static const int32_t imms[] = { 0, 1, -1, 7, -8, 0x400000, 0x401008, INT32_MAX, INT32_MIN,
	                                PS_SYSNO_kill, 123456 };
	static const unsigned regs[] = { 0, 1, 9, 15, 16 };
	int nops = 0, tried = 0;

	for (unsigned op = 0; op < 256; op++) {
		const struct isa_desc *d = &isa_table[op];
		unsigned use;

		if (d->name == NULL)
			continue;
		nops++;
		use = isa_form_fields(d->form);
		for (size_t a = 0; a < 5; a++)
			for (size_t b = 0; b < 5; b++)
				for (size_t i = 0; i < sizeof(imms) / sizeof(imms[0]); i++) {
					uint8_t insn[8];
					char text[96];
					struct asm_image img;
					struct asm_error err;
					int rc;

					isa_encode(insn, op, (use & ISA_USE_RD) ? regs[a] : 0,
					           (use & ISA_USE_RS) ? regs[b] : 0,
					           (use & ISA_USE_RT) ? regs[(a + b) % 5] : 0,
					           (use & ISA_USE_IMM) ? imms[i] : 0);
					ck_assert(isa_valid(insn));
					cpu_disasm(insn, VM_TEXT_BASE, text, sizeof(text));
					rc = asm_assemble(text, NULL, NULL, &img, &err);
					ck_assert_msg(rc == 0, "'%s' (op 0x%02x): %d:%d: %s", text, op, err.line,
					              err.column, err.message);
					ck_assert_msg(img.text_len == 8 && memcmp(img.text, insn, 8) == 0,
					              "'%s' (op 0x%02x) does not reassemble to itself", text, op);
					ck_assert_uint_eq(img.data_len, 0);
					asm_image_free(&img);
					tried++;
				}
	}
	ck_assert_int_eq(nops, 64);
	ck_assert_int_gt(tried, 64 * 10);
}
END_TEST

/* ---- Robustness: garbage and mutated programs never crash it. */

static uint64_t lcg_state;

static uint32_t
lcg(void)
{
	lcg_state = lcg_state * 6364136223846793005ull + 1442695040888963407ull;
	return (uint32_t)(lcg_state >> 33);
}

START_TEST(garbage_in)
{
	static const char base[] =
	    "start: li r1, 10\n"
	    "loop: sub r1, 1 ; count\n"
	    "  bnez r1, loop\n"
	    "  sys write tty0, msg, 3\n"
	    "  sys kill r1, r0\n"
	    "  tag done\n"
	    "  ld r2, [sp-8]\n"
	    ".data\n"
	    "msg: .asciz \"hi\\n\"\n"
	    "  .align 8\n"
	    "  .quad loop, 'x'\n";
	static const char alphabet[] = "abr0123456789x,[]+-:;#\"'\\ \t\n.sSIG_\x01\xff";
	char src[sizeof(base) + 64];
	uint8_t insn[8];
	char text[96];

	lcg_state = 12345;
	for (int iter = 0; iter < 20000; iter++) {
		struct asm_image img;
		struct asm_error err;
		size_t len;
		int rc;

		if (iter % 2 == 0) {
			/* Mutate the valid program in a few places. */
			memcpy(src, base, sizeof(base));
			len = sizeof(base) - 1;
			for (int m = 0; m < 3; m++)
				src[lcg() % len] = alphabet[lcg() % (sizeof(alphabet) - 1)];
		} else {
			len = lcg() % 60;
			for (size_t k = 0; k < len; k++)
				src[k] = alphabet[lcg() % (sizeof(alphabet) - 1)];
			src[len] = '\0';
		}
		rc = asm_assemble(src, resolve_tty, NULL, &img, &err);
		ck_assert(rc == 0 || rc == PS_EINVAL);
		if (rc == 0) {
			ck_assert_uint_gt(img.text_len, 0);
			asm_image_free(&img);
		} else {
			ck_assert_int_ge(err.line, 1);
			ck_assert_int_ge(err.column, 1);
			ck_assert(err.message[0] != '\0');
		}
		/* And the disassembler on random words. */
		for (int k = 0; k < 8; k++)
			insn[k] = (uint8_t)lcg();
		if (iter % 4 == 0)
			insn[0] = isa_table[insn[0]].name != NULL ? insn[0] : OP_ADD;
		ck_assert_int_gt(cpu_disasm(insn, 0, text, sizeof(text)), 0);
	}
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("asm");
	TCase *tc = tcase_create("asm");

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, encodings);
	tcase_add_test(tc, labels);
	tcase_add_test(tc, li_expansion);
	tcase_add_test(tc, data_directives);
	tcase_add_test(tc, sys_arguments);
	tcase_add_test(tc, sys_swap);
	tcase_add_test(tc, sys_parallel_moves);
	tcase_add_test(tc, tags);
	tcase_add_test(tc, immediates);
	tcase_add_test(tc, doc_example);
	tcase_add_test(tc, error_positions);
	tcase_add_test(tc, no_resolver);
	tcase_add_test(tc, text_limit);
	tcase_add_test(tc, disasm_round_trip);
	tcase_add_test(tc, garbage_in);
	suite_add_tcase(s, tc);
	return t_run(s);
}
