/*
 * The disassembler prints exactly the syntax the assembler reads, with
 * addresses (branch targets, absolute memory operands, tag strings) in hex
 * and other immediates in decimal, so that assembling its output gives the
 * same bytes back.
 */
#include <inttypes.h>
#include <stdio.h>

#include "cpu/cpu.h"
#include "cpu/isa.h"

static const char *const regnames[ISA_NREGF] = {
	"r0", "r1", "r2", "r3", "r4", "r5", "r6", "r7",
	"r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15", "sp",
};

int
cpu_disasm(const uint8_t insn[CPU_INSN_SIZE], uint64_t pc, char *buf, size_t len)
{
	const struct isa_desc *d;
	const char *rd, *rs, *rt, *sname;
	int64_t imm;
	uint64_t addr;

	(void)pc;  /* Targets are absolute: nothing is pc-relative. */
	if (!isa_valid(insn))
		return snprintf(buf, len, "(bad) .quad 0x%016" PRIx64, isa_load64(insn));
	d = &isa_table[insn[0]];
	rd = regnames[insn[1]];
	rs = regnames[insn[2]];
	rt = regnames[insn[3]];
	imm = (int32_t)isa_load32(insn + 4);
	addr = (uint64_t)imm;
	switch (d->form) {
	case F_NONE:
		return snprintf(buf, len, "%s", d->name);
	case F_RI:
		return snprintf(buf, len, "%s %s, %" PRId64, d->name, rd, imm);
	case F_RR:
		return snprintf(buf, len, "%s %s, %s", d->name, rd, rs);
	case F_RRR:
		return snprintf(buf, len, "%s %s, %s, %s", d->name, rd, rs, rt);
	case F_RRI:
		return snprintf(buf, len, "%s %s, %s, %" PRId64, d->name, rd, rs, imm);
	case F_MEM:
		if (imm == 0)
			return snprintf(buf, len, "%s %s, [%s]", d->name, rd, rs);
		return snprintf(buf, len, "%s %s, [%s%s%" PRId64 "]", d->name, rd, rs,
		                imm < 0 ? "-" : "+", imm < 0 ? -imm : imm);
	case F_MEMA:
		return snprintf(buf, len, "%s %s, [0x%" PRIx64 "]", d->name, rd, addr);
	case F_CMP:
		return snprintf(buf, len, "%s %s, %s", d->name, rs, rt);
	case F_CMPI:
		return snprintf(buf, len, "%s %s, %" PRId64, d->name, rs, imm);
	case F_J:
	case F_ADDR:
		return snprintf(buf, len, "%s 0x%" PRIx64, d->name, addr);
	case F_SJ:
		return snprintf(buf, len, "%s %s, 0x%" PRIx64, d->name, rs, addr);
	case F_S:
		return snprintf(buf, len, "%s %s", d->name, rs);
	case F_D:
		return snprintf(buf, len, "%s %s", d->name, rd);
	case F_SYS:
		sname = isa_syscall_name(imm);
		if (sname != NULL)
			return snprintf(buf, len, "%s %s", d->name, sname);
		return snprintf(buf, len, "%s %" PRId64, d->name, imm);
	case F_UIMM:
		return snprintf(buf, len, "%s %" PRIu32, d->name, (uint32_t)imm);
	default:
		return snprintf(buf, len, "(bad) .quad 0x%016" PRIx64, isa_load64(insn));
	}
}
