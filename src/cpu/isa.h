/*
 * The instruction set's one table, shared by the interpreter, the
 * disassembler and the assembler, so that the three cannot disagree about
 * an opcode's name or which fields it uses (docs/isa.md is the user's
 * description of the same facts).
 *
 * Every instruction is 8 bytes:
 *
 *	byte 0    opcode
 *	byte 1    rd   (destination register; the stored register for st*)
 *	byte 2    rs   (first source register; the base of a memory access)
 *	byte 3    rt   (second source register)
 *	bytes 4-7 imm  (signed 32-bit, little-endian)
 *
 * Register numbers are 0-15 for r0-r15 and 16 for sp.  A field the
 * instruction does not use must be zero: the interpreter raises SIGILL
 * otherwise, which keeps every valid instruction in a single canonical
 * form (so disassembling and reassembling gives back the same bytes).
 */
#ifndef PS_CPU_ISA_H
#define PS_CPU_ISA_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "cpu/cpu.h"

#define ISA_REG_SP 16  /* Register field value naming sp. */
#define ISA_NREGF 17   /* Valid register field values: 0..16. */

enum isa_opcode {
	/* Opcode 0 is undefined so that running into zeroed memory traps. */
	OP_NOP = 0x01,
	OP_LI = 0x02,   /* rd = sext(imm) */
	OP_LIH = 0x03,  /* rd = (rd & 0xffffffff) | imm << 32 */
	OP_MOV = 0x04,  /* rd = rs */

	/* Register third operand: rd = rs OP rt.  OP_xxxI = OP_xxx + 0x10. */
	OP_ADD = 0x10, OP_SUB, OP_MUL, OP_DIV, OP_MOD, OP_AND, OP_OR, OP_XOR,
	OP_SHL, OP_SHR, OP_SAR,
	/* Immediate third operand: rd = rs OP sext(imm). */
	OP_ADDI = 0x20, OP_SUBI, OP_MULI, OP_DIVI, OP_MODI, OP_ANDI, OP_ORI,
	OP_XORI, OP_SHLI, OP_SHRI, OP_SARI,

	/* Memory, base + displacement: address = rs + sext(imm). */
	OP_LD = 0x30, OP_LDW, OP_LDB, OP_ST, OP_STW, OP_STB,
	/* Memory, absolute: address = sext(imm). */
	OP_LDA = 0x38, OP_LDWA, OP_LDBA, OP_STA, OP_STWA, OP_STBA,

	OP_CMP = 0x40,   /* flags from rs - rt */
	OP_CMPI = 0x41,  /* flags from rs - sext(imm) */

	/* Branches to the absolute address sext(imm). */
	OP_B = 0x50, OP_BEQ, OP_BNE, OP_BLT, OP_BGE, OP_BLE, OP_BGT,
	OP_BLTU, OP_BGEU, OP_BLEU, OP_BGTU,
	OP_BEQZ = 0x5b,  /* if rs == 0 */
	OP_BNEZ = 0x5c,  /* if rs != 0 */
	OP_BR = 0x5d,    /* pc = rs */

	OP_CALL = 0x60,  /* push pc + 8; pc = sext(imm) */
	OP_CALLR = 0x61, /* push pc + 8; pc = rs */
	OP_RET = 0x62,   /* pop pc */
	OP_PUSH = 0x63,  /* sp -= 8; [sp] = rs */
	OP_POP = 0x64,   /* rd = [sp]; sp += 8 */

	OP_SYS = 0x70,   /* trap to the kernel, number sext(imm) */
	OP_BRK = 0x71,   /* breakpoint, SIGTRAP, pc stays */
	OP_WORK = 0x72,  /* burn (uint32)imm cycles */
	OP_WORKR = 0x73, /* burn rs cycles */
	OP_TAG = 0x74,   /* report the string at sext(imm) */
};

/* Operand shapes: what the assembler parses and the disassembler prints. */
enum isa_form {
	F_UNDEF = 0,
	F_NONE,   /* nop */
	F_RI,     /* li rd, imm */
	F_RR,     /* mov rd, rs */
	F_RRR,    /* add rd, rs, rt */
	F_RRI,    /* add rd, rs, imm */
	F_MEM,    /* ld rd, [rs+imm] / st rd, [rs+imm] */
	F_MEMA,   /* ld rd, [imm] / st rd, [imm] */
	F_CMP,    /* cmp rs, rt */
	F_CMPI,   /* cmp rs, imm */
	F_J,      /* b addr */
	F_SJ,     /* beqz rs, addr */
	F_S,      /* push rs */
	F_D,      /* pop rd */
	F_SYS,    /* sys num */
	F_UIMM,   /* work n (imm as unsigned 32-bit) */
	F_ADDR,   /* tag addr */
};

/* Field-use bits. */
#define ISA_USE_RD 0x1
#define ISA_USE_RS 0x2
#define ISA_USE_RT 0x4
#define ISA_USE_IMM 0x8

struct isa_desc {
	const char *name;  /* Mnemonic; NULL for an undefined opcode. */
	uint8_t form;      /* enum isa_form */
};

/* Indexed by opcode. */
extern const struct isa_desc isa_table[256];

/* Which fields a form uses (ISA_USE_*). */
unsigned isa_form_fields(unsigned form);

/*
 * For each opcode, the bits of the little-endian instruction word that
 * must be zero (unused fields); 0 for an undefined opcode (which the
 * interpreter rejects by its opcode alone).
 */
extern const uint64_t isa_zero_mask[256];

/* strncasecmp for ASCII, without relying on POSIX headers. */
int isa_casecmp(const char *a, const char *b, size_t len);

/* The syscall name for a number, or NULL. */
const char *isa_syscall_name(int64_t num);
/* The number for a syscall name (case-insensitive), or -1. */
int64_t isa_syscall_number(const char *name, size_t len);

/* The instruction word, read as little-endian whatever the host. */
static inline uint64_t
isa_load64(const uint8_t *p)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	uint64_t v;

	memcpy(&v, p, 8);
	return v;
#else
	return (uint64_t)p[0] | (uint64_t)p[1] << 8 | (uint64_t)p[2] << 16 |
	    (uint64_t)p[3] << 24 | (uint64_t)p[4] << 32 | (uint64_t)p[5] << 40 |
	    (uint64_t)p[6] << 48 | (uint64_t)p[7] << 56;
#endif
}

static inline void
isa_store64(uint8_t *p, uint64_t v)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	memcpy(p, &v, 8);
#else
	for (int i = 0; i < 8; i++)
		p[i] = (uint8_t)(v >> (8 * i));
#endif
}

static inline uint32_t
isa_load32(const uint8_t *p)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	uint32_t v;

	memcpy(&v, p, 4);
	return v;
#else
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	    (uint32_t)p[3] << 24;
#endif
}

static inline void
isa_store32(uint8_t *p, uint32_t v)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	memcpy(p, &v, 4);
#else
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
#endif
}

/* Encode one instruction into 8 bytes. */
static inline void
isa_encode(uint8_t *p, unsigned op, unsigned rd, unsigned rs, unsigned rt, int32_t imm)
{
	p[0] = (uint8_t)op;
	p[1] = (uint8_t)rd;
	p[2] = (uint8_t)rs;
	p[3] = (uint8_t)rt;
	isa_store32(p + 4, (uint32_t)imm);
}

/* Is this instruction well formed (defined opcode, fields in range, unused zero)? */
int isa_valid(const uint8_t insn[CPU_INSN_SIZE]);

#endif /* PS_CPU_ISA_H */
