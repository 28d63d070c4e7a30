/*
 * The simulated CPU: register file, instruction encoding, interpreter,
 * assembler and disassembler (docs/isa.md is the user's description).
 *
 * The interpreter knows nothing of processes: memory comes through
 * cpu_mem_ops (the kernel routes it to the thread's vmspace), and every
 * instruction that needs the kernel (sys, brk, tag, a fault) ends the run
 * with a cpu_exit that says why.  The kernel and the scheduler decide what
 * happens next.
 */
#ifndef PS_CPU_CPU_H
#define PS_CPU_CPU_H

#include <stddef.h>
#include <stdint.h>

#define CPU_NREGS 16
#define CPU_INSN_SIZE 8

/* flags bits, set by cmp. */
#define CPU_FL_Z 0x1  /* Equal. */
#define CPU_FL_N 0x2  /* Less than, signed. */
#define CPU_FL_C 0x4  /* Less than, unsigned. */

struct cpu_regs {
	uint64_t r[CPU_NREGS];
	uint64_t pc;
	uint64_t sp;
	uint64_t flags;
	uint64_t work_left;  /* Cycles of an interrupted `work N` still to burn (pc stays on it). */
	/*
	 * work_left is thread state like pc: whoever moves pc off the work
	 * (signal delivery, PT_SETREGS) saves and restores or clears it.  A
	 * stale value (pc not on a work) is ignored by the next cpu_run.
	 */
};

/*
 * Memory, as the thread sees it.  translate returns the host address of
 * the byte at addr with at least the rest of its page behind it, or NULL
 * with *sig set to the signal the access raises (PS_SIGSEGV, PS_SIGBUS).
 * access is 1 read, 2 write, 4 execute (VM_PROT_*).  The interpreter may
 * cache a translation for the length of one cpu_run() call only.
 */
struct cpu_mem_ops {
	uint8_t *(*translate)(void *ctx, uint64_t addr, int access, int *sig);
};

enum cpu_exit_reason {
	CPU_EXIT_BUDGET = 0,  /* Spent max_cycles; nothing special happened. */
	CPU_EXIT_SYSCALL,     /* `sys`: code in exit.code; pc already past it. */
	CPU_EXIT_BRK,         /* `brk`: pc stays on it (SIGTRAP). */
	CPU_EXIT_FAULT,       /* Memory fault: exit.sig (SEGV/BUS), exit.addr; pc on the insn. */
	CPU_EXIT_ILL,         /* Undefined instruction or operand: SIGILL, pc on it. */
	CPU_EXIT_FPE,         /* Division by zero: SIGFPE, pc on it. */
	CPU_EXIT_TAG,         /* `tag`: exit.addr holds the name's address; pc past it. */
};

struct cpu_exit {
	uint8_t reason;      /* enum cpu_exit_reason */
	int32_t sig;         /* Signal for FAULT/ILL/FPE/BRK. */
	int64_t code;        /* SYSCALL: the number. */
	uint64_t addr;       /* FAULT: the faulting address; TAG: the string. */
	uint64_t cycles;     /* Cycles consumed by this run, the stopping instruction included. */
	uint64_t insns;      /* Instructions retired. */
};

/*
 * Run from regs->pc until max_cycles are spent or an instruction stops the
 * run.  exit.insns counts retired instructions (sys and tag retire; brk,
 * a fault, SIGILL and SIGFPE do not, and a cut work retires only when it
 * finishes); exit.cycles includes 1 for an instruction that stops the run
 * without retiring and sys_cycles for sys, the only way to end above
 * max_cycles.  Every instruction costs 1 cycle except `work N` (N cycles, burnt in
 * O(1), split across runs through work_left) and `sys` (sys_cycles).
 * max_cycles 1 steps one instruction (PT_STEP).
 */
void cpu_run(struct cpu_regs *regs, const struct cpu_mem_ops *ops, void *ctx,
             uint64_t max_cycles, uint64_t sys_cycles, struct cpu_exit *out);

/*
 * The cycles the instruction at regs->pc costs, as a budget for cpu_run
 * that runs it and nothing after it: N (or what is left) for a work, 1 for
 * anything else (sys overruns a budget of 1 by design; an instruction that
 * cannot be fetched faults within it).
 */
uint64_t cpu_next_cycles(const struct cpu_regs *regs, const struct cpu_mem_ops *ops, void *ctx);

/* One instruction as text ("add r1, r2, 5"); returns snprintf's length. */
int cpu_disasm(const uint8_t insn[CPU_INSN_SIZE], uint64_t pc, char *buf, size_t len);

/*
 * Assembler.  resolve maps a bare identifier that is no label, register,
 * signal or syscall name (a terminal such as tty0) to a number; it returns
 * 0 or -1 for unknown.  Text is laid out at VM_TEXT_BASE, data at
 * VM_DATA_BASE(text_len).  The image owns its buffers (asm_image_free).
 */
struct asm_symbol {
	char name[32];
	uint64_t addr;
};

struct asm_image {
	uint8_t *text;
	uint64_t text_len;
	uint8_t *data;
	uint64_t data_len;
	uint64_t entry;           /* `start` if defined, else the first instruction. */
	struct asm_symbol *syms;  /* Labels, in definition order. */
	uint32_t nsyms;
	uint32_t ninsns;
};

struct asm_error {
	int32_t line, column;     /* 1-based. */
	char message[160];
};

typedef int (*asm_resolve_fn)(void *arg, const char *name, int64_t *value);

/* Limits of an image: bytes of text, and of data (the string pool included). */
#define ASM_MAX_TEXT (1u << 20)
#define ASM_MAX_DATA (1u << 20)

int asm_assemble(const char *src, asm_resolve_fn resolve, void *arg, struct asm_image *out,
                 struct asm_error *err);  /* 0, PS_EINVAL (err filled), PS_ENOMEM */
void asm_image_free(struct asm_image *img);

/* The signal trampoline placed on the shared page: `mov r0, sp; sys sigreturn; brk`. */
extern const uint8_t cpu_sigcode[3 * CPU_INSN_SIZE];

#endif /* PS_CPU_CPU_H */
