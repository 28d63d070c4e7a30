/*
 * The opcode table, the syscall names, and the signal trampoline.
 */
#include <stddef.h>

#include <procsim/program.h>

#include "cpu/isa.h"

/* opcode, mnemonic, form */
#define ISA_OPS(XX)                                                            \
	XX(OP_NOP, "nop", F_NONE)                                              \
	XX(OP_LI, "li", F_RI)                                                  \
	XX(OP_LIH, "lih", F_RI)                                                \
	XX(OP_MOV, "mov", F_RR)                                                \
	XX(OP_ADD, "add", F_RRR)                                               \
	XX(OP_SUB, "sub", F_RRR)                                               \
	XX(OP_MUL, "mul", F_RRR)                                               \
	XX(OP_DIV, "div", F_RRR)                                               \
	XX(OP_MOD, "mod", F_RRR)                                               \
	XX(OP_AND, "and", F_RRR)                                               \
	XX(OP_OR, "or", F_RRR)                                                 \
	XX(OP_XOR, "xor", F_RRR)                                               \
	XX(OP_SHL, "shl", F_RRR)                                               \
	XX(OP_SHR, "shr", F_RRR)                                               \
	XX(OP_SAR, "sar", F_RRR)                                               \
	XX(OP_ADDI, "add", F_RRI)                                              \
	XX(OP_SUBI, "sub", F_RRI)                                              \
	XX(OP_MULI, "mul", F_RRI)                                              \
	XX(OP_DIVI, "div", F_RRI)                                              \
	XX(OP_MODI, "mod", F_RRI)                                              \
	XX(OP_ANDI, "and", F_RRI)                                              \
	XX(OP_ORI, "or", F_RRI)                                                \
	XX(OP_XORI, "xor", F_RRI)                                              \
	XX(OP_SHLI, "shl", F_RRI)                                              \
	XX(OP_SHRI, "shr", F_RRI)                                              \
	XX(OP_SARI, "sar", F_RRI)                                              \
	XX(OP_LD, "ld", F_MEM)                                                 \
	XX(OP_LDW, "ldw", F_MEM)                                               \
	XX(OP_LDB, "ldb", F_MEM)                                               \
	XX(OP_ST, "st", F_MEM)                                                 \
	XX(OP_STW, "stw", F_MEM)                                               \
	XX(OP_STB, "stb", F_MEM)                                               \
	XX(OP_LDA, "ld", F_MEMA)                                               \
	XX(OP_LDWA, "ldw", F_MEMA)                                             \
	XX(OP_LDBA, "ldb", F_MEMA)                                             \
	XX(OP_STA, "st", F_MEMA)                                               \
	XX(OP_STWA, "stw", F_MEMA)                                             \
	XX(OP_STBA, "stb", F_MEMA)                                             \
	XX(OP_CMP, "cmp", F_CMP)                                               \
	XX(OP_CMPI, "cmp", F_CMPI)                                             \
	XX(OP_B, "b", F_J)                                                     \
	XX(OP_BEQ, "beq", F_J)                                                 \
	XX(OP_BNE, "bne", F_J)                                                 \
	XX(OP_BLT, "blt", F_J)                                                 \
	XX(OP_BGE, "bge", F_J)                                                 \
	XX(OP_BLE, "ble", F_J)                                                 \
	XX(OP_BGT, "bgt", F_J)                                                 \
	XX(OP_BLTU, "bltu", F_J)                                               \
	XX(OP_BGEU, "bgeu", F_J)                                               \
	XX(OP_BLEU, "bleu", F_J)                                               \
	XX(OP_BGTU, "bgtu", F_J)                                               \
	XX(OP_BEQZ, "beqz", F_SJ)                                              \
	XX(OP_BNEZ, "bnez", F_SJ)                                              \
	XX(OP_BR, "br", F_S)                                                   \
	XX(OP_CALL, "call", F_J)                                               \
	XX(OP_CALLR, "callr", F_S)                                             \
	XX(OP_RET, "ret", F_NONE)                                              \
	XX(OP_PUSH, "push", F_S)                                               \
	XX(OP_POP, "pop", F_D)                                                 \
	XX(OP_SYS, "sys", F_SYS)                                               \
	XX(OP_BRK, "brk", F_NONE)                                              \
	XX(OP_WORK, "work", F_UIMM)                                            \
	XX(OP_WORKR, "work", F_S)                                              \
	XX(OP_TAG, "tag", F_ADDR)

const struct isa_desc isa_table[256] = {
#define ISA_DESC_(op, name, form) [op] = { name, form },
	ISA_OPS(ISA_DESC_)
#undef ISA_DESC_
};

/* The used fields of each form, as bits of the instruction word. */
#define M_RD 0x000000000000ff00ull
#define M_RS 0x0000000000ff0000ull
#define M_RT 0x00000000ff000000ull
#define M_IMM 0xffffffff00000000ull
#define M_OP 0x00000000000000ffull
#define FORM_USED(f)                                                           \
	((f) == F_NONE ? 0 :                                                   \
	 (f) == F_RI ? M_RD | M_IMM :                                          \
	 (f) == F_RR ? M_RD | M_RS :                                           \
	 (f) == F_RRR ? M_RD | M_RS | M_RT :                                   \
	 (f) == F_RRI ? M_RD | M_RS | M_IMM :                                  \
	 (f) == F_MEM ? M_RD | M_RS | M_IMM :                                  \
	 (f) == F_MEMA ? M_RD | M_IMM :                                        \
	 (f) == F_CMP ? M_RS | M_RT :                                          \
	 (f) == F_CMPI ? M_RS | M_IMM :                                        \
	 (f) == F_J ? M_IMM :                                                  \
	 (f) == F_SJ ? M_RS | M_IMM :                                          \
	 (f) == F_S ? M_RS :                                                   \
	 (f) == F_D ? M_RD :                                                   \
	 (f) == F_SYS ? M_IMM :                                                \
	 (f) == F_UIMM ? M_IMM :                                               \
	 (f) == F_ADDR ? M_IMM : 0)

const uint64_t isa_zero_mask[256] = {
#define ISA_MASK_(op, name, form) [op] = ~(FORM_USED(form) | M_OP),
	ISA_OPS(ISA_MASK_)
#undef ISA_MASK_
};

unsigned
isa_form_fields(unsigned form)
{
	uint64_t used = FORM_USED(form);
	unsigned f = 0;

	if (used & M_RD)
		f |= ISA_USE_RD;
	if (used & M_RS)
		f |= ISA_USE_RS;
	if (used & M_RT)
		f |= ISA_USE_RT;
	if (used & M_IMM)
		f |= ISA_USE_IMM;
	return f;
}

int
isa_valid(const uint8_t insn[CPU_INSN_SIZE])
{
	uint64_t w = isa_load64(insn);
	unsigned op = insn[0];

	if (isa_table[op].name == NULL)
		return 0;
	if ((w & isa_zero_mask[op]) != 0)
		return 0;
	return insn[1] < ISA_NREGF && insn[2] < ISA_NREGF && insn[3] < ISA_NREGF;
}

static const struct {
	const char *name;
	int num;
} syscalls[] = {
#define ISA_SYSCALL_(name, num) { #name, num },
	PS_SYSCALL_MAP(ISA_SYSCALL_)
#undef ISA_SYSCALL_
};

const char *
isa_syscall_name(int64_t num)
{
	for (size_t i = 0; i < sizeof(syscalls) / sizeof(syscalls[0]); i++)
		if (syscalls[i].num == num)
			return syscalls[i].name;
	return NULL;
}

int
isa_casecmp(const char *a, const char *b, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		int ca = (unsigned char)a[i], cb = (unsigned char)b[i];

		if (ca >= 'A' && ca <= 'Z')
			ca += 'a' - 'A';
		if (cb >= 'A' && cb <= 'Z')
			cb += 'a' - 'A';
		if (ca != cb)
			return ca - cb;
		if (ca == 0)
			break;
	}
	return 0;
}

int64_t
isa_syscall_number(const char *name, size_t len)
{
	for (size_t i = 0; i < sizeof(syscalls) / sizeof(syscalls[0]); i++)
		if (strlen(syscalls[i].name) == len &&
		    isa_casecmp(syscalls[i].name, name, len) == 0)
			return syscalls[i].num;
	return -1;
}

/*
 * The signal trampoline: the kernel's sendsig points the handler's return
 * address here, with sp at the signal frame; sigreturn gets the frame's
 * address in r0 and never returns, so the brk only catches a kernel bug.
 */
const uint8_t cpu_sigcode[3 * CPU_INSN_SIZE] = {
	OP_MOV, 0, ISA_REG_SP, 0, 0, 0, 0, 0,
	OP_SYS, 0, 0, 0, (uint8_t)(PS_SYSNO_sigreturn & 0xff),
	(uint8_t)((PS_SYSNO_sigreturn >> 8) & 0xff), 0, 0,
	OP_BRK, 0, 0, 0, 0, 0, 0, 0,
};
