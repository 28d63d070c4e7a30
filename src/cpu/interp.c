/*
 * The interpreter: fetch, decode and execute until the cycle budget is
 * spent or an instruction needs the kernel.
 *
 * The registers live in a local array for the length of a run (r0-r15 and
 * sp at index 16, the register field's own numbering) and are written back
 * on every exit.  Translations are cached per page for the length of the
 * run, separately for fetch, read and write, because the three are allowed
 * by different protections; a write translation may replace the page's
 * frame (copy-on-write), so it drops the other two caches for that page.
 * Every access is naturally aligned or faults, so no access ever spans
 * two pages.
 */
#include <string.h>

#include <procsim/proc.h>

#include "cpu/cpu.h"
#include "cpu/isa.h"
#include "vm/vm.h"

/* No page address has its low bits set, so this never matches. */
#define NOPAGE UINT64_MAX

#define LIKELY(x) __builtin_expect(!!(x), 1)
#define UNLIKELY(x) __builtin_expect(!!(x), 0)

struct tcache {
	uint64_t page;  /* User page address, or NOPAGE. */
	uint8_t *host;  /* Host address of the page's first byte. */
};

/*
 * Translate a page and remember it.  The page's first byte is asked for,
 * so that the host pointer covers the whole page whatever byte of it the
 * access wanted.
 */
static uint8_t *
tlb_fill(const struct cpu_mem_ops *ops, void *ctx, struct tcache *c, uint64_t addr, int access,
         int *sig)
{
	uint64_t page = trunc_page(addr);
	uint8_t *host;
	int s = 0;

	host = ops->translate(ctx, page, access, &s);
	if (host == NULL) {
		*sig = s != 0 ? s : PS_SIGSEGV;
		return NULL;
	}
	c->page = page;
	c->host = host;
	return host + (addr & PAGE_MASK);
}

static inline uint64_t
sar64(uint64_t x, unsigned n)
{
	/* Spelt out: >> on a negative signed value is implementation-defined. */
	if (n == 0)
		return x;
	if (x >> 63)
		return (x >> n) | ~(UINT64_MAX >> n);
	return x >> n;
}

/* Does the instruction at pc look like a work instruction?  (Resuming one.) */
static int
at_work(const struct cpu_mem_ops *ops, void *ctx, uint64_t pc)
{
	uint8_t *p;
	int sig;

	if ((pc & 7) != 0)
		return 0;
	p = ops->translate(ctx, pc, VM_PROT_EXECUTE, &sig);
	if (p == NULL || !isa_valid(p))
		return 0;
	return p[0] == OP_WORK || p[0] == OP_WORKR;
}

uint64_t
cpu_next_cycles(const struct cpu_regs *regs, const struct cpu_mem_ops *ops, void *ctx)
{
	uint64_t w, n;
	unsigned rs;
	uint8_t *p;
	int sig = 0;

	if ((regs->pc & 7) != 0)
		return 1;
	p = ops->translate(ctx, regs->pc, VM_PROT_EXECUTE, &sig);
	if (p == NULL || !isa_valid(p) || (p[0] != OP_WORK && p[0] != OP_WORKR))
		return 1;
	if (regs->work_left != 0)
		return regs->work_left;
	w = isa_load64(p);
	if (p[0] == OP_WORK) {
		n = (uint64_t)(uint32_t)(w >> 32);
	} else {
		rs = (unsigned)((w >> 16) & 0xff);
		n = rs == ISA_REG_SP ? regs->sp : rs < CPU_NREGS ? regs->r[rs] : 1;
	}
	return n != 0 ? n : 1;
}

void
cpu_run(struct cpu_regs *regs, const struct cpu_mem_ops *ops, void *ctx, uint64_t max_cycles,
        uint64_t sys_cycles, struct cpu_exit *out)
{
	uint64_t R[ISA_NREGF];
	uint64_t pc = regs->pc;
	uint64_t flags = regs->flags;
	uint64_t work_left = regs->work_left;
	uint64_t insns = 0;
	/*
	 * cycles == insns + extra: a simple instruction only bumps insns, and
	 * the loop compares insns with lim == max_cycles - extra, so the hot
	 * path keeps one counter.  work adds to extra; exits compute cycles.
	 */
	uint64_t extra = 0, lim = max_cycles;
	uint64_t fpage = NOPAGE;
	const uint8_t *fhost = NULL;
	struct tcache rc = { NOPAGE, NULL }, wc = { NOPAGE, NULL };
	uint64_t w, addr, a, b, n;
	unsigned op, rd, rs, rt;
	int64_t imm;
	uint8_t *p;
	int sig = 0;

	memcpy(R, regs->r, sizeof(regs->r));
	R[ISA_REG_SP] = regs->sp;
	memset(out, 0, sizeof(*out));
	regs->work_left = 0;
	/*
	 * A remainder belongs to the work instruction it was cut from; if the
	 * kernel moved pc elsewhere meanwhile (and did not clear it), it is
	 * stale and must not be burnt by the next work met.
	 */
	if (work_left != 0 && !at_work(ops, ctx, pc))
		work_left = 0;

	while (insns < lim) {
		/*
		 * One compare catches both a new page and a misaligned pc: the
		 * mask keeps the page bits and the alignment bits, and fpage
		 * has the latter clear.
		 */
		if (UNLIKELY((pc & (~PAGE_MASK | 7)) != fpage)) {
			if ((pc & 7) != 0) {
				addr = pc;
				sig = PS_SIGBUS;
				goto fault;
			}
			sig = 0;
			p = ops->translate(ctx, trunc_page(pc), VM_PROT_EXECUTE, &sig);
			if (p == NULL) {
				addr = pc;
				if (sig == 0)
					sig = PS_SIGSEGV;
				goto fault;
			}
			fpage = trunc_page(pc);
			fhost = p;
		}
		w = isa_load64(fhost + (pc & PAGE_MASK));
		op = (unsigned)(w & 0xff);
		rd = (unsigned)((w >> 8) & 0xff);
		rs = (unsigned)((w >> 16) & 0xff);
		rt = (unsigned)((w >> 24) & 0xff);
		imm = (int32_t)(uint32_t)(w >> 32);
		if (UNLIKELY(((w & isa_zero_mask[op]) != 0) | (rd >= ISA_NREGF) |
		             (rs >= ISA_NREGF) | (rt >= ISA_NREGF)))
			goto ill;

/*
 * No do-while around these: their continue must reach the fetch loop.
 */
#define NEXT                                                                   \
	{                                                                      \
		pc += CPU_INSN_SIZE;                                           \
		insns++;                                                       \
		continue;                                                      \
	}
#define JUMP(t)                                                                \
	{                                                                      \
		pc = (t);                                                      \
		insns++;                                                       \
		continue;                                                      \
	}
/* Pointer for a read of addr, through the cache, or goto fault. */
#define RD_PTR(p, addr)                                                        \
	do {                                                                   \
		if (LIKELY(trunc_page(addr) == rc.page))                       \
			(p) = rc.host + ((addr) & PAGE_MASK);                  \
		else if (((p) = tlb_fill(ops, ctx, &rc, (addr), VM_PROT_READ, &sig)) == NULL) \
			goto fault;                                            \
	} while (0)
#define WR_PTR(p, addr)                                                        \
	do {                                                                   \
		if (LIKELY(trunc_page(addr) == wc.page))                       \
			(p) = wc.host + ((addr) & PAGE_MASK);                  \
		else {                                                         \
			if (((p) = tlb_fill(ops, ctx, &wc, (addr), VM_PROT_WRITE, &sig)) == NULL) \
				goto fault;                                    \
			/* The frame may have been copied: forget the old one. */ \
			if (rc.page == wc.page)                                \
				rc.page = NOPAGE;                              \
			if (fpage == wc.page)                                  \
				fpage = NOPAGE;                                \
		}                                                              \
	} while (0)
#define ALIGNED(addr, sz)                                                      \
	do {                                                                   \
		if (UNLIKELY(((addr) & ((sz) - 1)) != 0)) {                    \
			sig = PS_SIGBUS;                                       \
			goto fault;                                            \
		}                                                              \
	} while (0)

		switch (op) {
		case OP_NOP:
			NEXT;
		case OP_LI:
			R[rd] = (uint64_t)imm;
			NEXT;
		case OP_LIH:
			R[rd] = (R[rd] & 0xffffffffu) | (uint64_t)imm << 32;
			NEXT;
		case OP_MOV:
			R[rd] = R[rs];
			NEXT;

		case OP_ADD: b = R[rt]; goto add;
		case OP_ADDI: b = (uint64_t)imm;
		add:
			R[rd] = R[rs] + b;
			NEXT;
		case OP_SUB: b = R[rt]; goto sub;
		case OP_SUBI: b = (uint64_t)imm;
		sub:
			R[rd] = R[rs] - b;
			NEXT;
		case OP_MUL: b = R[rt]; goto mul;
		case OP_MULI: b = (uint64_t)imm;
		mul:
			/* Unsigned: the low 64 bits are the same, without overflow UB. */
			R[rd] = R[rs] * b;
			NEXT;
		case OP_DIV: b = R[rt]; goto div;
		case OP_DIVI: b = (uint64_t)imm;
		div:
			a = R[rs];
			if (UNLIKELY(b == 0))
				goto fpe;
			/* INT64_MIN / -1 overflows in C; the machine wraps to INT64_MIN. */
			if (UNLIKELY(b == UINT64_MAX))
				R[rd] = 0 - a;
			else
				R[rd] = (uint64_t)((int64_t)a / (int64_t)b);
			NEXT;
		case OP_MOD: b = R[rt]; goto mod;
		case OP_MODI: b = (uint64_t)imm;
		mod:
			a = R[rs];
			if (UNLIKELY(b == 0))
				goto fpe;
			if (UNLIKELY(b == UINT64_MAX))
				R[rd] = 0;
			else
				R[rd] = (uint64_t)((int64_t)a % (int64_t)b);
			NEXT;
		case OP_AND: R[rd] = R[rs] & R[rt]; NEXT;
		case OP_ANDI: R[rd] = R[rs] & (uint64_t)imm; NEXT;
		case OP_OR: R[rd] = R[rs] | R[rt]; NEXT;
		case OP_ORI: R[rd] = R[rs] | (uint64_t)imm; NEXT;
		case OP_XOR: R[rd] = R[rs] ^ R[rt]; NEXT;
		case OP_XORI: R[rd] = R[rs] ^ (uint64_t)imm; NEXT;
		case OP_SHL: R[rd] = R[rs] << (R[rt] & 63); NEXT;
		case OP_SHLI: R[rd] = R[rs] << ((uint64_t)imm & 63); NEXT;
		case OP_SHR: R[rd] = R[rs] >> (R[rt] & 63); NEXT;
		case OP_SHRI: R[rd] = R[rs] >> ((uint64_t)imm & 63); NEXT;
		case OP_SAR: R[rd] = sar64(R[rs], (unsigned)(R[rt] & 63)); NEXT;
		case OP_SARI: R[rd] = sar64(R[rs], (unsigned)((uint64_t)imm & 63)); NEXT;

		case OP_LD: addr = R[rs] + (uint64_t)imm; goto ld;
		case OP_LDA: addr = (uint64_t)imm;
		ld:
			ALIGNED(addr, 8);
			RD_PTR(p, addr);
			R[rd] = isa_load64(p);
			NEXT;
		case OP_LDW: addr = R[rs] + (uint64_t)imm; goto ldw;
		case OP_LDWA: addr = (uint64_t)imm;
		ldw:
			ALIGNED(addr, 4);
			RD_PTR(p, addr);
			R[rd] = isa_load32(p);
			NEXT;
		case OP_LDB: addr = R[rs] + (uint64_t)imm; goto ldb;
		case OP_LDBA: addr = (uint64_t)imm;
		ldb:
			RD_PTR(p, addr);
			R[rd] = *p;
			NEXT;
		case OP_ST: addr = R[rs] + (uint64_t)imm; goto st;
		case OP_STA: addr = (uint64_t)imm;
		st:
			ALIGNED(addr, 8);
			WR_PTR(p, addr);
			isa_store64(p, R[rd]);
			NEXT;
		case OP_STW: addr = R[rs] + (uint64_t)imm; goto stw;
		case OP_STWA: addr = (uint64_t)imm;
		stw:
			ALIGNED(addr, 4);
			WR_PTR(p, addr);
			isa_store32(p, (uint32_t)R[rd]);
			NEXT;
		case OP_STB: addr = R[rs] + (uint64_t)imm; goto stb;
		case OP_STBA: addr = (uint64_t)imm;
		stb:
			WR_PTR(p, addr);
			*p = (uint8_t)R[rd];
			NEXT;

		case OP_CMP: b = R[rt]; goto cmp;
		case OP_CMPI: b = (uint64_t)imm;
		cmp:
			a = R[rs];
			flags = (a == b ? CPU_FL_Z : 0) |
			    ((int64_t)a < (int64_t)b ? CPU_FL_N : 0) |
			    (a < b ? CPU_FL_C : 0);
			NEXT;

		case OP_B: JUMP((uint64_t)imm);
#define BCOND(c)                                                               \
	{                                                                      \
		if (c)                                                         \
			JUMP((uint64_t)imm)                                    \
		NEXT                                                           \
	}
		case OP_BEQ: BCOND(flags & CPU_FL_Z);
		case OP_BNE: BCOND(!(flags & CPU_FL_Z));
		case OP_BLT: BCOND(flags & CPU_FL_N);
		case OP_BGE: BCOND(!(flags & CPU_FL_N));
		case OP_BLE: BCOND(flags & (CPU_FL_N | CPU_FL_Z));
		case OP_BGT: BCOND(!(flags & (CPU_FL_N | CPU_FL_Z)));
		case OP_BLTU: BCOND(flags & CPU_FL_C);
		case OP_BGEU: BCOND(!(flags & CPU_FL_C));
		case OP_BLEU: BCOND(flags & (CPU_FL_C | CPU_FL_Z));
		case OP_BGTU: BCOND(!(flags & (CPU_FL_C | CPU_FL_Z)));
		case OP_BEQZ: BCOND(R[rs] == 0);
		case OP_BNEZ: BCOND(R[rs] != 0);
		case OP_BR: JUMP(R[rs]);

		case OP_CALL: b = (uint64_t)imm; goto call;
		case OP_CALLR: b = R[rs];
		call:
			/* Nothing changes until the store has succeeded. */
			addr = R[ISA_REG_SP] - 8;
			ALIGNED(addr, 8);
			WR_PTR(p, addr);
			isa_store64(p, pc + CPU_INSN_SIZE);
			R[ISA_REG_SP] = addr;
			JUMP(b);
		case OP_RET:
			addr = R[ISA_REG_SP];
			ALIGNED(addr, 8);
			RD_PTR(p, addr);
			R[ISA_REG_SP] = addr + 8;
			JUMP(isa_load64(p));
		case OP_PUSH:
			addr = R[ISA_REG_SP] - 8;
			ALIGNED(addr, 8);
			WR_PTR(p, addr);
			isa_store64(p, R[rs]);  /* push sp stores the old sp. */
			R[ISA_REG_SP] = addr;
			NEXT;
		case OP_POP:
			addr = R[ISA_REG_SP];
			ALIGNED(addr, 8);
			RD_PTR(p, addr);
			R[ISA_REG_SP] = addr + 8;
			R[rd] = isa_load64(p);  /* After the increment: pop sp loads sp. */
			NEXT;

		case OP_SYS:
			pc += CPU_INSN_SIZE;
			insns++;
			out->reason = CPU_EXIT_SYSCALL;
			out->code = imm;
			out->cycles = insns - 1 + extra + sys_cycles;
			goto done;
		case OP_BRK:
			out->reason = CPU_EXIT_BRK;
			out->sig = PS_SIGTRAP;
			goto stop1;
		case OP_WORK:
		case OP_WORKR:
			if (work_left != 0) {
				n = work_left;
				work_left = 0;
			} else {
				n = op == OP_WORK ? (uint64_t)(uint32_t)imm : R[rs];
				if (n == 0)
					n = 1;
			}
			/* Cycles left in the budget: at least 1 here. */
			a = max_cycles - (insns + extra);
			if (n > a) {
				/* Cut: burn what is left; pc stays on the work. */
				regs->work_left = n - a;
				out->reason = CPU_EXIT_BUDGET;
				out->cycles = max_cycles;
				goto done;
			}
			extra += n - 1;
			lim = max_cycles - extra;
			NEXT;
		case OP_TAG:
			pc += CPU_INSN_SIZE;
			insns++;
			out->reason = CPU_EXIT_TAG;
			out->addr = (uint64_t)imm;
			out->cycles = insns + extra;
			goto done;
		default:
			goto ill;
		}
	}
	/* The budget is spent. */
	out->reason = CPU_EXIT_BUDGET;
	out->cycles = insns + extra;
	goto done;

ill:
	out->reason = CPU_EXIT_ILL;
	out->sig = PS_SIGILL;
	goto stop1;
fpe:
	out->reason = CPU_EXIT_FPE;
	out->sig = PS_SIGFPE;
	goto stop1;
fault:
	out->reason = CPU_EXIT_FAULT;
	out->sig = sig;
	out->addr = addr;
stop1:
	/* A stopping instruction costs its cycle but does not retire. */
	out->cycles = insns + extra + 1;
done:
	out->insns = insns;
	memcpy(regs->r, R, sizeof(regs->r));
	regs->sp = R[ISA_REG_SP];
	regs->pc = pc;
	regs->flags = flags;
#undef NEXT
#undef JUMP
#undef RD_PTR
#undef WR_PTR
#undef ALIGNED
#undef BCOND
}
