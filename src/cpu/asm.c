/*
 * The assembler: program text to an image of text and data segments.
 *
 * Two passes over the same code.  Pass 1 lays out: it defines the labels,
 * counts the bytes of each section and builds the string pool (the
 * strings of `sys` arguments and `tag` names, placed after the program's
 * own data).  Pass 2 emits, with every label known.  An instruction's size
 * must not depend on a label's value, or the passes would disagree: a
 * symbol (label or resolver name) in an immediate therefore always takes
 * one instruction, and pass 2 rejects a value that does not fit in 32 bits
 * (no label ever fails this: images are a few MiB above VM_TEXT_BASE).
 *
 * Every error names the line and the 1-based byte column of the offending
 * token; the first error ends the assembly.  Nothing here trusts the input:
 * every length is checked and every allocation may fail.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <procsim/error.h>
#include <procsim/proc.h>

#include "cpu/cpu.h"
#include "cpu/isa.h"
#include "vm/vm.h"

#define ASM_MAX_OPS 8            /* Operands of an instruction or directive line. */
#define ASM_MAX_SYS_ARGS 8       /* r0..r7 */

enum { S_TEXT = 0, S_DATA = 1 };

enum tok_kind { T_EOL, T_IDENT, T_NUM, T_STR, T_PUNCT };

struct tok {
	uint8_t kind;
	char punct;        /* T_PUNCT: the character. */
	int col;           /* 1-based. */
	const char *s;     /* Source text of the token. */
	size_t len;
	uint64_t num;      /* T_NUM: value (character literals too). */
	size_t soff, slen; /* T_STR: decoded bytes in strbuf. */
};

struct label {
	char name[32];
	uint8_t sect;
	uint64_t off;
	uint64_t addr;   /* After pass 1. */
	int line, col;
};

struct expr {
	uint64_t v;
	int sym;   /* Depends on a label or resolver name (unknown in pass 1). */
	int col;
};

enum opnd_kind { O_REG, O_IMM, O_MEM, O_STR };

struct opnd {
	int kind;
	int col;
	int reg;          /* O_REG */
	int base;         /* O_MEM: base register, or -1 for absolute. */
	struct expr e;    /* O_IMM, O_MEM displacement or address. */
	size_t soff, slen;/* O_STR */
};

struct asm_ctx {
	const char *src;
	asm_resolve_fn resolve;
	void *arg;
	struct asm_error *err;
	int nomem;
	int pass;
	int line;
	int sect;
	uint64_t off[2];
	uint8_t *buf[2];     /* Pass 2 only. */
	uint64_t pool_base;  /* Address of the pool, pass 2. */

	struct tok *toks;
	size_t ntoks;
	char *strbuf;

	struct label *labels;
	size_t nlabels, labcap;
	int32_t *hash;
	size_t hashcap;      /* Power of two. */

	uint8_t *pool;
	size_t pool_len, pool_cap;
	uint64_t *refs;      /* Pool offset of each reference, in order. */
	size_t nrefs, refcap, refi;
};

static int asm_errorf(struct asm_ctx *c, int col, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int
asm_errorf(struct asm_ctx *c, int col, const char *fmt, ...)
{
	va_list ap;

	c->err->line = c->line;
	c->err->column = col;
	va_start(ap, fmt);
	vsnprintf(c->err->message, sizeof(c->err->message), fmt, ap);
	va_end(ap);
	return -1;
}

static int
asm_nomem(struct asm_ctx *c)
{
	c->nomem = 1;
	return asm_errorf(c, 0, "out of memory");
}

/* A short description of a token for messages: 'text', a string, end of line. */
static const char *
tokdesc(const struct tok *t, char *buf, size_t len)
{
	switch (t->kind) {
	case T_EOL:
		return "end of line";
	case T_STR:
		return "a string";
	default:
		snprintf(buf, len, "'%.*s'", (int)(t->len > 40 ? 40 : t->len), t->s);
		return buf;
	}
}

static int
is_ident_start(int ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || ch == '_' || ch == '.';
}

static int
is_ident_char(int ch)
{
	return is_ident_start(ch) || (ch >= '0' && ch <= '9');
}

static int
is_space(int ch)
{
	return ch == ' ' || ch == '\t' || ch == '\r' || ch == '\v' || ch == '\f';
}

static int
hexval(int ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	if (ch >= 'A' && ch <= 'F')
		return ch - 'A' + 10;
	return -1;
}

/* One escape after a backslash at line[i]; *out gets the byte. */
static int
lex_escape(struct asm_ctx *c, const char *line, size_t len, size_t i, char *out)
{
	if (i + 1 >= len)
		return asm_errorf(c, (int)i + 1, "bad escape: backslash at end of line");
	switch (line[i + 1]) {
	case 'n': *out = '\n'; return 0;
	case 't': *out = '\t'; return 0;
	case 'r': *out = '\r'; return 0;
	case '0': *out = '\0'; return 0;
	case '\\': *out = '\\'; return 0;
	case '"': *out = '"'; return 0;
	case '\'': *out = '\''; return 0;
	default:
		if ((unsigned char)line[i + 1] >= 0x20 && (unsigned char)line[i + 1] < 0x7f)
			return asm_errorf(c, (int)i + 1,
			                  "bad escape '\\%c' (expected \\n \\t \\r \\0 \\\\ \\\" or \\')",
			                  line[i + 1]);
		return asm_errorf(c, (int)i + 1, "bad escape (expected \\n \\t \\r \\0 \\\\ \\\" or \\')");
	}
}

/*
 * Split one line into tokens.  Each token consumes at least one byte, so
 * len + 1 tokens (with the end marker) always fit, and decoded strings are
 * never longer than their source: both buffers are sized from the longest
 * line.
 */
static int
lex_line(struct asm_ctx *c, const char *line, size_t len)
{
	size_t i = 0, n = 0, sb = 0, j;
	struct tok *t;

	while (i < len) {
		int ch = (unsigned char)line[i];

		if (is_space(ch)) {
			i++;
			continue;
		}
		if (ch == ';' || ch == '#')
			break;
		t = &c->toks[n];
		memset(t, 0, sizeof(*t));
		t->col = (int)i + 1;
		t->s = line + i;
		if (is_ident_start(ch)) {
			for (j = i + 1; j < len && is_ident_char((unsigned char)line[j]); j++)
				;
			t->kind = T_IDENT;
		} else if (ch >= '0' && ch <= '9') {
			uint64_t v = 0;
			int d;

			t->kind = T_NUM;
			if (ch == '0' && i + 1 < len && (line[i + 1] == 'x' || line[i + 1] == 'X')) {
				for (j = i + 2; j < len && (d = hexval((unsigned char)line[j])) >= 0; j++) {
					if (v > (UINT64_MAX >> 4))
						return asm_errorf(c, t->col, "number out of range (more than 64 bits)");
					v = v << 4 | (uint64_t)d;
				}
				if (j == i + 2)
					return asm_errorf(c, t->col, "bad number: no hex digits after 0x");
			} else {
				for (j = i; j < len && line[j] >= '0' && line[j] <= '9'; j++) {
					d = line[j] - '0';
					if (v > (UINT64_MAX - (uint64_t)d) / 10)
						return asm_errorf(c, t->col, "number out of range (more than 64 bits)");
					v = v * 10 + (uint64_t)d;
				}
			}
			if (j < len && is_ident_char((unsigned char)line[j]))
				return asm_errorf(c, t->col, "bad number '%.*s'",
				                  (int)(j - i + 1 > 40 ? 40 : j - i + 1), line + i);
			t->num = v;
		} else if (ch == '"') {
			t->kind = T_STR;
			t->soff = sb;
			for (j = i + 1;; j++) {
				if (j >= len)
					return asm_errorf(c, t->col, "unterminated string");
				if (line[j] == '"')
					break;
				if (line[j] == '\\') {
					if (lex_escape(c, line, len, j, &c->strbuf[sb]) != 0)
						return -1;
					j++;
				} else
					c->strbuf[sb] = line[j];
				sb++;
			}
			t->slen = sb - t->soff;
			j++;
		} else if (ch == '\'') {
			char v;

			t->kind = T_NUM;
			j = i + 1;
			if (j >= len || line[j] == '\'')
				return asm_errorf(c, t->col, "bad character literal (expected 'c')");
			if (line[j] == '\\') {
				if (lex_escape(c, line, len, j, &v) != 0)
					return -1;
				j += 2;
			} else
				v = line[j++];
			if (j >= len || line[j] != '\'')
				return asm_errorf(c, t->col, "unterminated character literal");
			j++;
			t->num = (unsigned char)v;
		} else if (ch == ',' || ch == '[' || ch == ']' || ch == '+' || ch == '-' || ch == ':') {
			t->kind = T_PUNCT;
			t->punct = (char)ch;
			j = i + 1;
		} else if (ch >= 0x20 && ch < 0x7f) {
			return asm_errorf(c, t->col, "unexpected character '%c'", ch);
		} else {
			return asm_errorf(c, t->col, "unexpected byte 0x%02x", ch);
		}
		t->len = j - i;
		i = j;
		n++;
	}
	t = &c->toks[n];
	memset(t, 0, sizeof(*t));
	t->kind = T_EOL;
	t->col = (int)i + 1;
	t->s = line + i;
	c->ntoks = n;
	return 0;
}

static int
tok_is(const struct tok *t, char punct)
{
	return t->kind == T_PUNCT && t->punct == punct;
}

static int
tok_eq(const struct tok *t, const char *word)
{
	size_t wl = strlen(word);

	return t->kind == T_IDENT && t->len == wl && isa_casecmp(t->s, word, wl) == 0;
}

/*
 * A register name: r0-r15 or sp, any case.  -1 if the token is no
 * register; -2 (error set) if it looks like one that does not exist.
 */
static int
tok_reg(struct asm_ctx *c, const struct tok *t)
{
	unsigned v = 0;

	if (t->kind != T_IDENT)
		return -1;
	if (tok_eq(t, "sp"))
		return ISA_REG_SP;
	if (t->len < 2 || (t->s[0] != 'r' && t->s[0] != 'R'))
		return -1;
	for (size_t k = 1; k < t->len; k++) {
		if (t->s[k] < '0' || t->s[k] > '9')
			return -1;
		if (v < 1000)
			v = v * 10 + (unsigned)(t->s[k] - '0');
	}
	if (v > 15 || (t->len > 2 && t->s[1] == '0')) {
		asm_errorf(c, t->col, "bad register '%.*s' (registers are r0-r15 and sp)",
		           (int)(t->len > 20 ? 20 : t->len), t->s);
		return -2;
	}
	return (int)v;
}

/* A signal name, SIGHUP to SIGTHR, any case; 0 if none. */
static int
tok_signal(const struct tok *t)
{
	const char *name;

	if (t->kind != T_IDENT || t->len < 4 || isa_casecmp(t->s, "sig", 3) != 0)
		return 0;
	for (int sig = 1; sig < PS_NSIG; sig++) {
		name = ps_signal_name(sig);
		if (name != NULL && strlen(name) == t->len && isa_casecmp(name, t->s, t->len) == 0)
			return sig;
	}
	return 0;
}

static uint32_t
name_hash(const char *s, size_t len)
{
	uint32_t h = 2166136261u;

	for (size_t i = 0; i < len; i++)
		h = (h ^ (unsigned char)s[i]) * 16777619u;
	return h;
}

static struct label *
label_find(struct asm_ctx *c, const char *s, size_t len)
{
	size_t mask = c->hashcap - 1, k;
	struct label *l;

	if (c->hashcap == 0 || len >= sizeof(c->labels[0].name))
		return NULL;
	for (k = name_hash(s, len) & mask; c->hash[k] >= 0; k = (k + 1) & mask) {
		l = &c->labels[c->hash[k]];
		if (strlen(l->name) == len && memcmp(l->name, s, len) == 0)
			return l;
	}
	return NULL;
}

static int
label_hash_insert(struct asm_ctx *c, size_t idx)
{
	size_t mask = c->hashcap - 1, k;
	const char *name = c->labels[idx].name;

	for (k = name_hash(name, strlen(name)) & mask; c->hash[k] >= 0; k = (k + 1) & mask)
		;
	c->hash[k] = (int32_t)idx;
	return 0;
}

static int
label_define(struct asm_ctx *c, const struct tok *t)
{
	struct label *l;

	if (c->pass == 2)
		return 0;
	if (t->len >= sizeof(l->name))
		return asm_errorf(c, t->col, "label name too long (at most %zu characters)",
		                  sizeof(l->name) - 1);
	if (tok_reg(c, t) != -1)
		return asm_errorf(c, t->col, "'%.*s' is a register name, not a label", (int)t->len,
		                  t->s);
	if (tok_signal(t) != 0)
		return asm_errorf(c, t->col, "'%.*s' is a signal name, not a label", (int)t->len, t->s);
	if (t->s[0] == '.')
		return asm_errorf(c, t->col, "a label cannot start with '.'");
	l = label_find(c, t->s, t->len);
	if (l != NULL)
		return asm_errorf(c, t->col, "duplicate label '%s' (first defined at line %d)", l->name,
		                  l->line);
	if (c->nlabels == c->labcap) {
		size_t ncap = c->labcap ? c->labcap * 2 : 64;
		struct label *nl = realloc(c->labels, ncap * sizeof(*nl));

		if (nl == NULL)
			return asm_nomem(c);
		c->labels = nl;
		c->labcap = ncap;
	}
	if ((c->nlabels + 1) * 2 > c->hashcap) {
		size_t ncap = c->hashcap ? c->hashcap * 2 : 128;
		int32_t *nh = malloc(ncap * sizeof(*nh));

		if (nh == NULL)
			return asm_nomem(c);
		for (size_t k = 0; k < ncap; k++)
			nh[k] = -1;
		free(c->hash);
		c->hash = nh;
		c->hashcap = ncap;
		for (size_t k = 0; k < c->nlabels; k++)
			label_hash_insert(c, k);
	}
	l = &c->labels[c->nlabels];
	memset(l, 0, sizeof(*l));
	memcpy(l->name, t->s, t->len);
	l->sect = (uint8_t)c->sect;
	l->off = c->off[c->sect];
	l->line = c->line;
	l->col = t->col;
	label_hash_insert(c, c->nlabels);
	c->nlabels++;
	return 0;
}

/*
 * A string in the pool; returns its address in pass 2 (0 in pass 1).
 * Pass 1 appends the bytes and remembers where; pass 2 meets the same
 * references in the same order and reads the offsets back.
 */
static int
pool_ref(struct asm_ctx *c, const void *bytes, size_t len, int col, uint64_t *addr)
{
	if (c->pass == 2) {
		*addr = c->pool_base + c->refs[c->refi++];
		return 0;
	}
	*addr = 0;
	if (c->off[S_DATA] + c->pool_len + len > ASM_MAX_DATA)
		return asm_errorf(c, col, "data exceeds %u bytes (strings included)", ASM_MAX_DATA);
	if (c->pool_len + len > c->pool_cap) {
		size_t ncap = c->pool_cap ? c->pool_cap : 256;
		uint8_t *np;

		while (ncap < c->pool_len + len)
			ncap *= 2;
		np = realloc(c->pool, ncap);
		if (np == NULL)
			return asm_nomem(c);
		c->pool = np;
		c->pool_cap = ncap;
	}
	if (c->nrefs == c->refcap) {
		size_t ncap = c->refcap ? c->refcap * 2 : 64;
		uint64_t *nr = realloc(c->refs, ncap * sizeof(*nr));

		if (nr == NULL)
			return asm_nomem(c);
		c->refs = nr;
		c->refcap = ncap;
	}
	memcpy(c->pool + c->pool_len, bytes, len);
	c->refs[c->nrefs++] = c->pool_len;
	c->pool_len += len;
	return 0;
}

/* A string token into the pool, NUL added; its address in *addr. */
static int
pool_string(struct asm_ctx *c, size_t soff, size_t slen, int col, uint64_t *addr)
{
	/* The decoded bytes are followed by room: strbuf is one byte longer than any line. */
	char save = c->strbuf[soff + slen];
	int error;

	c->strbuf[soff + slen] = '\0';
	error = pool_ref(c, c->strbuf + soff, slen + 1, col, addr);
	c->strbuf[soff + slen] = save;
	return error;
}

/*
 * A name in an expression.  Signals are constants.  In pass 1 anything
 * else is an unknown symbol; in pass 2 a label, or, unless only a label
 * will do (branch targets), whatever the resolver makes of it.
 */
static int
ident_value(struct asm_ctx *c, const struct tok *t, int label_only, uint64_t *v, int *sym)
{
	struct label *l;
	int64_t rv;
	int sig, r;

	r = tok_reg(c, t);
	if (r == -2)
		return -1;
	if (r >= 0)
		return asm_errorf(c, t->col, "register '%.*s' is not allowed here (expected a number or symbol)",
		                  (int)t->len, t->s);
	if ((sig = tok_signal(t)) != 0) {
		*v = (uint64_t)sig;
		return 0;
	}
	if (t->s[0] == '.')
		return asm_errorf(c, t->col, "directive '%.*s' is not allowed here", (int)t->len, t->s);
	*sym = 1;
	if (c->pass == 1) {
		*v = 0;
		return 0;
	}
	l = label_find(c, t->s, t->len);
	if (l != NULL) {
		*v = l->addr;
		return 0;
	}
	if (label_only)
		return asm_errorf(c, t->col, "undefined label '%.*s'", (int)(t->len > 40 ? 40 : t->len),
		                  t->s);
	if (c->resolve != NULL && t->len < 128) {
		char name[128];

		memcpy(name, t->s, t->len);
		name[t->len] = '\0';
		if (c->resolve(c->arg, name, &rv) == 0) {
			*v = (uint64_t)rv;
			return 0;
		}
	}
	return asm_errorf(c, t->col, "unknown symbol '%.*s' (not a label, signal or known name)",
	                  (int)(t->len > 40 ? 40 : t->len), t->s);
}

/* expr := term (('+' | '-') term)*, term := ('+' | '-')* (number | name) */
static int
parse_expr(struct asm_ctx *c, size_t *ip, struct expr *e, int label_only)
{
	size_t i = *ip;
	const struct tok *t;
	char buf[64];
	uint64_t tv;
	int neg;

	e->v = 0;
	e->sym = 0;
	e->col = c->toks[i].col;
	for (int first = 1;; first = 0) {
		neg = 0;
		if (!first) {
			if (!tok_is(&c->toks[i], '+') && !tok_is(&c->toks[i], '-'))
				break;
			neg = tok_is(&c->toks[i], '-');
			i++;
		}
		while (tok_is(&c->toks[i], '+') || tok_is(&c->toks[i], '-')) {
			neg ^= tok_is(&c->toks[i], '-');
			i++;
		}
		t = &c->toks[i];
		if (t->kind == T_NUM) {
			tv = t->num;
		} else if (t->kind == T_IDENT) {
			tv = 0;
			if (ident_value(c, t, label_only, &tv, &e->sym) != 0)
				return -1;
		} else {
			return asm_errorf(c, t->col, "expected a number or symbol, got %s",
			                  tokdesc(t, buf, sizeof(buf)));
		}
		e->v = neg ? e->v - tv : e->v + tv;
		i++;
	}
	*ip = i;
	return 0;
}

static int
parse_operand(struct asm_ctx *c, size_t *ip, struct opnd *o, int label_only)
{
	size_t i = *ip;
	const struct tok *t = &c->toks[i];
	char buf[64];
	int r;

	memset(o, 0, sizeof(*o));
	o->col = t->col;
	o->base = -1;
	if (tok_is(t, '[')) {
		o->kind = O_MEM;
		i++;
		r = tok_reg(c, &c->toks[i]);
		if (r == -2)
			return -1;
		if (r >= 0) {
			o->base = r;
			i++;
			o->e.col = c->toks[i].col;
			if (tok_is(&c->toks[i], '+') || tok_is(&c->toks[i], '-')) {
				if (parse_expr(c, &i, &o->e, 0) != 0)
					return -1;
			}
		} else if (parse_expr(c, &i, &o->e, 0) != 0)
			return -1;
		if (!tok_is(&c->toks[i], ']'))
			return asm_errorf(c, c->toks[i].col, "expected ']', got %s",
			                  tokdesc(&c->toks[i], buf, sizeof(buf)));
		i++;
	} else if (t->kind == T_STR) {
		o->kind = O_STR;
		o->soff = t->soff;
		o->slen = t->slen;
		i++;
	} else if ((r = tok_reg(c, t)) >= 0) {
		o->kind = O_REG;
		o->reg = r;
		i++;
	} else if (r == -2) {
		return -1;
	} else {
		o->kind = O_IMM;
		if (parse_expr(c, &i, &o->e, label_only) != 0)
			return -1;
	}
	*ip = i;
	return 0;
}

/* Comma-separated operands up to the end of the line. */
static int
parse_operands(struct asm_ctx *c, size_t *ip, struct opnd *ops, int max, int *np, int label_only,
               const char *what)
{
	size_t i = *ip;
	char buf[64];
	int n = 0;

	if (c->toks[i].kind != T_EOL) {
		for (;;) {
			if (n == max)
				return asm_errorf(c, c->toks[i].col, "too many operands for %s (at most %d)",
				                  what, max);
			if (parse_operand(c, &i, &ops[n], label_only) != 0)
				return -1;
			n++;
			if (c->toks[i].kind == T_EOL)
				break;
			if (!tok_is(&c->toks[i], ','))
				return asm_errorf(c, c->toks[i].col, "expected ',' or end of line, got %s",
				                  tokdesc(&c->toks[i], buf, sizeof(buf)));
			i++;
		}
	}
	*ip = i;
	*np = n;
	return 0;
}

static int
fits_i32(uint64_t v)
{
	int64_t s = (int64_t)v;

	return s >= INT32_MIN && s <= INT32_MAX;
}

static int
emit(struct asm_ctx *c, unsigned op, unsigned rd, unsigned rs, unsigned rt, int32_t imm, int col)
{
	if (c->off[S_TEXT] + CPU_INSN_SIZE > ASM_MAX_TEXT)
		return asm_errorf(c, col, "program text exceeds %u bytes", ASM_MAX_TEXT);
	if (c->pass == 2)
		isa_encode(c->buf[S_TEXT] + c->off[S_TEXT], op, rd, rs, rt, imm);
	c->off[S_TEXT] += CPU_INSN_SIZE;
	return 0;
}

static int
emit_data(struct asm_ctx *c, const void *bytes, size_t n, int col)
{
	if (c->off[S_DATA] + c->pool_len + n > ASM_MAX_DATA || n > ASM_MAX_DATA)
		return asm_errorf(c, col, "data exceeds %u bytes", ASM_MAX_DATA);
	if (c->pass == 2 && bytes != NULL)
		memcpy(c->buf[S_DATA] + c->off[S_DATA], bytes, n);
	c->off[S_DATA] += n;
	return 0;
}

/*
 * rd = v.  A constant that fits in 32 bits signed takes one li; a wider one
 * li (low half, sign-extended) then lih (high half).  A symbol always takes
 * one instruction (see the top of the file).
 */
static int
emit_li(struct asm_ctx *c, unsigned rd, uint64_t v, int sym, int col)
{
	if (sym) {
		if (c->pass == 2 && !fits_i32(v))
			return asm_errorf(c, col,
			                  "symbol value 0x%" PRIx64 " does not fit in 32 bits signed", v);
		return emit(c, OP_LI, rd, 0, 0, (int32_t)v, col);
	}
	if (fits_i32(v))
		return emit(c, OP_LI, rd, 0, 0, (int32_t)v, col);
	if (emit(c, OP_LI, rd, 0, 0, (int32_t)(uint32_t)v, col) != 0)
		return -1;
	return emit(c, OP_LIH, rd, 0, 0, (int32_t)(uint32_t)(v >> 32), col);
}

/* An imm32 operand. */
static int
imm32(struct asm_ctx *c, const struct expr *e, const char *what, int32_t *out)
{
	/* A symbol is unknown in pass 1: only pass 2 can judge it. */
	if ((c->pass == 2 || !e->sym) && !fits_i32(e->v))
		return asm_errorf(c, e->col, "%s out of range (must fit in 32 bits signed: %" PRId64
		                  " to %" PRId64 ")", what, (int64_t)INT32_MIN, (int64_t)INT32_MAX);
	*out = (int32_t)e->v;
	return 0;
}

static const char *
kind_name(int kind)
{
	switch (kind) {
	case O_REG: return "a register";
	case O_IMM: return "an immediate";
	case O_MEM: return "a memory operand";
	default: return "a string";
	}
}

/* Operand k must be of one of the kinds in mask (1 << O_*). */
static int
want(struct asm_ctx *c, const char *mn, const struct opnd *o, int k, unsigned mask)
{
	char exp[80] = "";

	if (mask & (1u << o->kind))
		return 0;
	for (int kind = O_REG; kind <= O_STR; kind++) {
		if (!(mask & (1u << kind)))
			continue;
		if (exp[0] != '\0')
			strcat(exp, " or ");
		strcat(exp, kind_name(kind));
	}
	return asm_errorf(c, o->col, "'%s' expects %s as operand %d, got %s", mn, exp, k + 1,
	                  kind_name(o->kind));
}

#define K_REG (1u << O_REG)
#define K_IMM (1u << O_IMM)
#define K_MEM (1u << O_MEM)
#define K_STR (1u << O_STR)

static int
want_count(struct asm_ctx *c, const char *mn, const struct opnd *ops, int n, int lo, int hi,
           size_t eol)
{
	if (n > hi)
		return asm_errorf(c, ops[hi].col, "too many operands for '%s' (expected %d%s)", mn, hi,
		                  lo == hi ? "" : " at most");
	if (n < lo) {
		if (lo == hi)
			return asm_errorf(c, c->toks[eol].col, "missing operand for '%s' (expected %d, got %d)",
			                  mn, lo, n);
		return asm_errorf(c, c->toks[eol].col,
		                  "missing operand for '%s' (expected %d to %d, got %d)", mn, lo, hi, n);
	}
	return 0;
}

enum mclass { M_NONE, M_LI, M_LIH, M_MOV, M_ALU, M_MEM, M_CMP, M_J, M_SJ, M_S, M_D, M_SYS,
              M_WORK, M_TAG };

static const struct mnem {
	const char *name;
	uint8_t cls;
	uint8_t op;    /* Register / base form. */
	uint8_t op2;   /* Immediate / absolute form. */
} mnems[] = {
	{ "nop", M_NONE, OP_NOP, 0 }, { "ret", M_NONE, OP_RET, 0 }, { "brk", M_NONE, OP_BRK, 0 },
	{ "li", M_LI, OP_LI, 0 }, { "la", M_LI, OP_LI, 0 }, { "lih", M_LIH, OP_LIH, 0 },
	{ "mov", M_MOV, OP_MOV, 0 },
	{ "add", M_ALU, OP_ADD, OP_ADDI }, { "sub", M_ALU, OP_SUB, OP_SUBI },
	{ "mul", M_ALU, OP_MUL, OP_MULI }, { "div", M_ALU, OP_DIV, OP_DIVI },
	{ "mod", M_ALU, OP_MOD, OP_MODI }, { "and", M_ALU, OP_AND, OP_ANDI },
	{ "or", M_ALU, OP_OR, OP_ORI }, { "xor", M_ALU, OP_XOR, OP_XORI },
	{ "shl", M_ALU, OP_SHL, OP_SHLI }, { "shr", M_ALU, OP_SHR, OP_SHRI },
	{ "sar", M_ALU, OP_SAR, OP_SARI },
	{ "ld", M_MEM, OP_LD, OP_LDA }, { "ldw", M_MEM, OP_LDW, OP_LDWA },
	{ "ldb", M_MEM, OP_LDB, OP_LDBA }, { "st", M_MEM, OP_ST, OP_STA },
	{ "stw", M_MEM, OP_STW, OP_STWA }, { "stb", M_MEM, OP_STB, OP_STBA },
	{ "cmp", M_CMP, OP_CMP, OP_CMPI },
	{ "b", M_J, OP_B, 0 }, { "beq", M_J, OP_BEQ, 0 }, { "bne", M_J, OP_BNE, 0 },
	{ "blt", M_J, OP_BLT, 0 }, { "bge", M_J, OP_BGE, 0 }, { "ble", M_J, OP_BLE, 0 },
	{ "bgt", M_J, OP_BGT, 0 }, { "bltu", M_J, OP_BLTU, 0 }, { "bgeu", M_J, OP_BGEU, 0 },
	{ "bleu", M_J, OP_BLEU, 0 }, { "bgtu", M_J, OP_BGTU, 0 }, { "call", M_J, OP_CALL, 0 },
	{ "beqz", M_SJ, OP_BEQZ, 0 }, { "bnez", M_SJ, OP_BNEZ, 0 },
	{ "br", M_S, OP_BR, 0 }, { "callr", M_S, OP_CALLR, 0 }, { "push", M_S, OP_PUSH, 0 },
	{ "pop", M_D, OP_POP, 0 },
	{ "sys", M_SYS, OP_SYS, 0 }, { "work", M_WORK, OP_WORK, OP_WORKR },
	{ "tag", M_TAG, OP_TAG, 0 },
};

static const struct mnem *
mnem_find(const struct tok *t)
{
	for (size_t k = 0; k < sizeof(mnems) / sizeof(mnems[0]); k++)
		if (tok_eq(t, mnems[k].name))
			return &mnems[k];
	return NULL;
}

/*
 * Load sys arguments into r0, r1, ... as one parallel move: no register is
 * overwritten before every move that reads it has been done.  Register
 * moves go first (a constant reads nothing, so constants go last); among
 * them a move whose destination nobody still needs goes at once, and when
 * none is left, what remains is cycles (each destination is written by one
 * move only), which a swap by three xors breaks without a scratch register.
 */
static int
sys_args(struct asm_ctx *c, const struct opnd *args, int nargs, int col)
{
	int dst[ASM_MAX_SYS_ARGS], src[ASM_MAX_SYS_ARGS];
	int npend = 0, k, m, blocked;
	uint64_t addr;

	for (k = 0; k < nargs; k++)
		if (args[k].kind == O_REG && args[k].reg != k) {
			dst[npend] = k;
			src[npend] = args[k].reg;
			npend++;
		}
	while (npend > 0) {
		for (m = 0; m < npend; m++) {
			blocked = 0;
			for (k = 0; k < npend; k++)
				if (k != m && src[k] == dst[m])
					blocked = 1;
			if (!blocked)
				break;
		}
		if (m < npend) {
			if (emit(c, OP_MOV, (unsigned)dst[m], (unsigned)src[m], 0, 0, col) != 0)
				return -1;
		} else {
			int d = dst[0], s = src[0];

			m = 0;
			if (emit(c, OP_XOR, (unsigned)d, (unsigned)d, (unsigned)s, 0, col) != 0 ||
			    emit(c, OP_XOR, (unsigned)s, (unsigned)s, (unsigned)d, 0, col) != 0 ||
			    emit(c, OP_XOR, (unsigned)d, (unsigned)d, (unsigned)s, 0, col) != 0)
				return -1;
			/* d is done; s now holds what d held, for whoever wanted d. */
			for (k = 1; k < npend; k++)
				if (src[k] == d)
					src[k] = s;
		}
		dst[m] = dst[npend - 1];
		src[m] = src[npend - 1];
		npend--;
		/* A move redirected onto its own destination has nothing left to do. */
		for (k = 0; k < npend;) {
			if (src[k] == dst[k]) {
				dst[k] = dst[npend - 1];
				src[k] = src[npend - 1];
				npend--;
			} else
				k++;
		}
	}
	for (k = 0; k < nargs; k++) {
		if (args[k].kind == O_IMM) {
			if (emit_li(c, (unsigned)k, args[k].e.v, args[k].e.sym, args[k].col) != 0)
				return -1;
		} else if (args[k].kind == O_STR) {
			if (pool_string(c, args[k].soff, args[k].slen, args[k].col, &addr) != 0 ||
			    emit_li(c, (unsigned)k, addr, 1, args[k].col) != 0)
				return -1;
		}
	}
	return 0;
}

/* sys NAME|NUMBER [,] [arg, ...] */
static int
asm_sys(struct asm_ctx *c, size_t i, const struct tok *mn)
{
	struct opnd args[ASM_MAX_SYS_ARGS];
	const struct tok *t = &c->toks[i];
	struct expr e;
	int32_t num = 0;
	int64_t v = 0;
	int nargs = 0, k;
	char buf[64];

	if (t->kind == T_EOL)
		return asm_errorf(c, t->col, "'sys' expects a syscall name or number");
	if (t->kind == T_IDENT) {
		v = isa_syscall_number(t->s, t->len);
		if (v < 0)
			return asm_errorf(c, t->col, "unknown syscall name '%.*s'",
			                  (int)(t->len > 40 ? 40 : t->len), t->s);
		num = (int32_t)v;
		i++;
	} else if (t->kind == T_NUM || tok_is(t, '-') || tok_is(t, '+')) {
		if (parse_expr(c, &i, &e, 0) != 0)
			return -1;
		if (e.sym)
			return asm_errorf(c, e.col, "syscall number must be a constant");
		if (imm32(c, &e, "syscall number", &num) != 0)
			return -1;
	} else {
		return asm_errorf(c, t->col, "'sys' expects a syscall name or number, got %s",
		                  tokdesc(t, buf, sizeof(buf)));
	}
	if (tok_is(&c->toks[i], ','))
		i++;
	if (parse_operands(c, &i, args, ASM_MAX_SYS_ARGS, &nargs, 0, "'sys' (arguments r0-r7)") != 0)
		return -1;
	for (k = 0; k < nargs; k++)
		if (args[k].kind == O_MEM)
			return asm_errorf(c, args[k].col,
			                  "a memory operand cannot be a syscall argument (load it first)");
	if (sys_args(c, args, nargs, mn->col) != 0)
		return -1;
	return emit(c, OP_SYS, 0, 0, 0, num, mn->col);
}

/* tag NAME | tag "name" | tag ADDRESS */
static int
asm_tag(struct asm_ctx *c, size_t i, const struct tok *mn)
{
	const struct tok *t = &c->toks[i];
	struct expr e;
	uint64_t addr;
	int32_t imm = 0;
	char buf[64];

	if (t->kind == T_IDENT) {
		if (t->len > 255)
			return asm_errorf(c, t->col, "tag name too long (at most 255 characters)");
		if (c->pass == 1) {
			char name[256];

			memcpy(name, t->s, t->len);
			name[t->len] = '\0';
			if (pool_ref(c, name, t->len + 1, t->col, &addr) != 0)
				return -1;
		} else if (pool_ref(c, NULL, 0, t->col, &addr) != 0)
			return -1;
		i++;
	} else if (t->kind == T_STR) {
		if (t->slen == 0)
			return asm_errorf(c, t->col, "empty tag name");
		if (memchr(c->strbuf + t->soff, '\0', t->slen) != NULL)
			return asm_errorf(c, t->col, "tag name contains a NUL byte");
		if (pool_string(c, t->soff, t->slen, t->col, &addr) != 0)
			return -1;
		i++;
	} else if (t->kind == T_NUM || tok_is(t, '-') || tok_is(t, '+')) {
		if (parse_expr(c, &i, &e, 0) != 0 || imm32(c, &e, "tag address", &imm) != 0)
			return -1;
		addr = (uint64_t)(int64_t)imm;
	} else {
		return asm_errorf(c, t->col, "'tag' expects a name, got %s", tokdesc(t, buf, sizeof(buf)));
	}
	if (c->toks[i].kind != T_EOL)
		return asm_errorf(c, c->toks[i].col, "expected end of line after the tag name, got %s",
		                  tokdesc(&c->toks[i], buf, sizeof(buf)));
	return emit(c, OP_TAG, 0, 0, 0, (int32_t)addr, mn->col);
}

static int
asm_insn(struct asm_ctx *c, size_t i)
{
	const struct tok *mt = &c->toks[i];
	const struct mnem *m;
	struct opnd ops[ASM_MAX_OPS];
	char what[32];
	const char *mn;
	uint64_t addr;
	size_t eol;
	int32_t imm = 0;
	int n = 0;

	m = mnem_find(mt);
	if (m == NULL)
		return asm_errorf(c, mt->col, "unknown mnemonic '%.*s'", (int)(mt->len > 40 ? 40 : mt->len),
		                  mt->s);
	mn = m->name;
	if (c->sect != S_TEXT)
		return asm_errorf(c, mt->col, "instruction '%s' in the .data section (use .text first)", mn);
	i++;
	if (m->cls == M_SYS)
		return asm_sys(c, i, mt);
	if (m->cls == M_TAG)
		return asm_tag(c, i, mt);
	snprintf(what, sizeof(what), "'%s'", mn);
	if (parse_operands(c, &i, ops, ASM_MAX_OPS, &n, m->cls == M_J || m->cls == M_SJ, what) != 0)
		return -1;
	eol = i;

	switch (m->cls) {
	case M_NONE:
		if (want_count(c, mn, ops, n, 0, 0, eol) != 0)
			return -1;
		return emit(c, m->op, 0, 0, 0, 0, mt->col);
	case M_MOV:
		if (want_count(c, mn, ops, n, 2, 2, eol) != 0 || want(c, mn, &ops[0], 0, K_REG) != 0 ||
		    want(c, mn, &ops[1], 1, K_REG | K_IMM | K_STR) != 0)
			return -1;
		if (ops[1].kind == O_REG)
			return emit(c, OP_MOV, (unsigned)ops[0].reg, (unsigned)ops[1].reg, 0, 0, mt->col);
		/* mov rd, imm is li. */
		/* FALLTHROUGH */
	case M_LI:
		if (want_count(c, mn, ops, n, 2, 2, eol) != 0 || want(c, mn, &ops[0], 0, K_REG) != 0 ||
		    want(c, mn, &ops[1], 1, K_IMM | K_STR) != 0)
			return -1;
		if (ops[1].kind == O_STR) {
			if (pool_string(c, ops[1].soff, ops[1].slen, ops[1].col, &addr) != 0)
				return -1;
			return emit_li(c, (unsigned)ops[0].reg, addr, 1, ops[1].col);
		}
		return emit_li(c, (unsigned)ops[0].reg, ops[1].e.v, ops[1].e.sym, ops[1].e.col);
	case M_LIH:
		if (want_count(c, mn, ops, n, 2, 2, eol) != 0 || want(c, mn, &ops[0], 0, K_REG) != 0 ||
		    want(c, mn, &ops[1], 1, K_IMM) != 0 || imm32(c, &ops[1].e, "immediate", &imm) != 0)
			return -1;
		return emit(c, OP_LIH, (unsigned)ops[0].reg, 0, 0, imm, mt->col);
	case M_ALU: {
		const struct opnd *rd, *rs, *x;

		if (want_count(c, mn, ops, n, 2, 3, eol) != 0)
			return -1;
		rd = &ops[0];
		rs = n == 3 ? &ops[1] : &ops[0];
		x = &ops[n - 1];
		if (want(c, mn, rd, 0, K_REG) != 0 || (n == 3 && want(c, mn, rs, 1, K_REG) != 0) ||
		    want(c, mn, x, n - 1, K_REG | K_IMM) != 0)
			return -1;
		if (x->kind == O_REG)
			return emit(c, m->op, (unsigned)rd->reg, (unsigned)rs->reg, (unsigned)x->reg, 0,
			            mt->col);
		if (imm32(c, &x->e, "immediate", &imm) != 0)
			return -1;
		return emit(c, m->op2, (unsigned)rd->reg, (unsigned)rs->reg, 0, imm, mt->col);
	}
	case M_MEM:
		if (want_count(c, mn, ops, n, 2, 2, eol) != 0 || want(c, mn, &ops[0], 0, K_REG) != 0 ||
		    want(c, mn, &ops[1], 1, K_MEM) != 0)
			return -1;
		if (ops[1].base >= 0) {
			if (imm32(c, &ops[1].e, "displacement", &imm) != 0)
				return -1;
			return emit(c, m->op, (unsigned)ops[0].reg, (unsigned)ops[1].base, 0, imm, mt->col);
		}
		if (imm32(c, &ops[1].e, "address", &imm) != 0)
			return -1;
		return emit(c, m->op2, (unsigned)ops[0].reg, 0, 0, imm, mt->col);
	case M_CMP:
		if (want_count(c, mn, ops, n, 2, 2, eol) != 0 || want(c, mn, &ops[0], 0, K_REG) != 0 ||
		    want(c, mn, &ops[1], 1, K_REG | K_IMM) != 0)
			return -1;
		if (ops[1].kind == O_REG)
			return emit(c, OP_CMP, 0, (unsigned)ops[0].reg, (unsigned)ops[1].reg, 0, mt->col);
		if (imm32(c, &ops[1].e, "immediate", &imm) != 0)
			return -1;
		return emit(c, OP_CMPI, 0, (unsigned)ops[0].reg, 0, imm, mt->col);
	case M_J:
		if (want_count(c, mn, ops, n, 1, 1, eol) != 0 || want(c, mn, &ops[0], 0, K_IMM) != 0 ||
		    imm32(c, &ops[0].e, "branch target", &imm) != 0)
			return -1;
		return emit(c, m->op, 0, 0, 0, imm, mt->col);
	case M_SJ:
		if (want_count(c, mn, ops, n, 2, 2, eol) != 0 || want(c, mn, &ops[0], 0, K_REG) != 0 ||
		    want(c, mn, &ops[1], 1, K_IMM) != 0 ||
		    imm32(c, &ops[1].e, "branch target", &imm) != 0)
			return -1;
		return emit(c, m->op, 0, (unsigned)ops[0].reg, 0, imm, mt->col);
	case M_S:
		if (want_count(c, mn, ops, n, 1, 1, eol) != 0 || want(c, mn, &ops[0], 0, K_REG) != 0)
			return -1;
		return emit(c, m->op, 0, (unsigned)ops[0].reg, 0, 0, mt->col);
	case M_D:
		if (want_count(c, mn, ops, n, 1, 1, eol) != 0 || want(c, mn, &ops[0], 0, K_REG) != 0)
			return -1;
		return emit(c, m->op, (unsigned)ops[0].reg, 0, 0, 0, mt->col);
	case M_WORK:
		if (want_count(c, mn, ops, n, 1, 1, eol) != 0 ||
		    want(c, mn, &ops[0], 0, K_REG | K_IMM) != 0)
			return -1;
		if (ops[0].kind == O_REG)
			return emit(c, OP_WORKR, 0, (unsigned)ops[0].reg, 0, 0, mt->col);
		if ((c->pass == 2 || !ops[0].e.sym) && ops[0].e.v > UINT32_MAX)
			return asm_errorf(c, ops[0].e.col,
			                  "work count out of range (0 to 4294967295; use a register for more)");
		return emit(c, OP_WORK, 0, 0, 0, (int32_t)(uint32_t)ops[0].e.v, mt->col);
	default:
		return asm_errorf(c, mt->col, "internal error: mnemonic class %d", m->cls);
	}
}

/* A constant operand of a directive (no symbols: sizes must be known in pass 1). */
static int
dir_const(struct asm_ctx *c, const struct opnd *o, const char *what, uint64_t max, uint64_t *v)
{
	if (o->kind != O_IMM)
		return asm_errorf(c, o->col, "%s must be a number, got %s", what, kind_name(o->kind));
	if (o->e.sym)
		return asm_errorf(c, o->col, "%s must be a constant, not a symbol", what);
	if (o->e.v > max)
		return asm_errorf(c, o->col, "%s out of range (0 to %" PRIu64 ")", what, max);
	*v = o->e.v;
	return 0;
}

static int
asm_directive(struct asm_ctx *c, size_t i)
{
	const struct tok *dt = &c->toks[i];
	struct opnd ops[ASM_MAX_OPS];
	char name[16], what[32];
	uint8_t b[8];
	uint64_t v = 0;
	size_t eol;
	int n = 0, k;

	if (dt->len >= sizeof(name))
		return asm_errorf(c, dt->col, "unknown directive '%.*s'",
		                  (int)(dt->len > 40 ? 40 : dt->len), dt->s);
	for (k = 0; k < (int)dt->len; k++)
		name[k] = (char)((dt->s[k] >= 'A' && dt->s[k] <= 'Z') ? dt->s[k] - 'A' + 'a' : dt->s[k]);
	name[dt->len] = '\0';
	if (strcmp(name, ".text") != 0 && strcmp(name, ".data") != 0 && strcmp(name, ".ascii") != 0 &&
	    strcmp(name, ".asciz") != 0 && strcmp(name, ".quad") != 0 && strcmp(name, ".byte") != 0 &&
	    strcmp(name, ".space") != 0 && strcmp(name, ".align") != 0)
		return asm_errorf(c, dt->col,
		                  "unknown directive '%s' (expected .text, .data, .ascii, .asciz, .quad, "
		                  ".byte, .space or .align)", name);
	i++;
	snprintf(what, sizeof(what), "'%s'", name);
	if (parse_operands(c, &i, ops, ASM_MAX_OPS, &n, 0, what) != 0)
		return -1;
	eol = i;
	if (strcmp(name, ".text") == 0 || strcmp(name, ".data") == 0) {
		if (want_count(c, name, ops, n, 0, 0, eol) != 0)
			return -1;
		c->sect = name[1] == 't' ? S_TEXT : S_DATA;
		return 0;
	}
	if (c->sect != S_DATA)
		return asm_errorf(c, dt->col, "data directive '%s' in the .text section (use .data first)",
		                  name);
	if (n == 0)
		return asm_errorf(c, c->toks[eol].col, "missing operand for '%s'", name);
	if (strcmp(name, ".ascii") == 0 || strcmp(name, ".asciz") == 0) {
		for (k = 0; k < n; k++) {
			if (want(c, name, &ops[k], k, K_STR) != 0 ||
			    emit_data(c, c->strbuf + ops[k].soff, ops[k].slen, ops[k].col) != 0)
				return -1;
			if (name[5] == 'z' && emit_data(c, "", 1, ops[k].col) != 0)
				return -1;
		}
		return 0;
	}
	if (strcmp(name, ".quad") == 0 || strcmp(name, ".byte") == 0) {
		for (k = 0; k < n; k++) {
			if (want(c, name, &ops[k], k, K_IMM) != 0)
				return -1;
			v = ops[k].e.v;
			if (name[1] == 'q') {
				isa_store64(b, v);
				if (emit_data(c, b, 8, ops[k].col) != 0)
					return -1;
				continue;
			}
			if ((c->pass == 2 || !ops[k].e.sym) && ((int64_t)v < -128 || (int64_t)v > 255))
				return asm_errorf(c, ops[k].col, "byte value out of range (-128 to 255)");
			b[0] = (uint8_t)v;
			if (emit_data(c, b, 1, ops[k].col) != 0)
				return -1;
		}
		return 0;
	}
	if (want_count(c, name, ops, n, 1, 1, eol) != 0)
		return -1;
	if (strcmp(name, ".space") == 0) {
		if (dir_const(c, &ops[0], "size", ASM_MAX_DATA, &v) != 0)
			return -1;
		return emit_data(c, NULL, (size_t)v, ops[0].col);
	}
	/* .align */
	if (dir_const(c, &ops[0], "alignment", PAGE_SIZE, &v) != 0)
		return -1;
	if (v == 0 || (v & (v - 1)) != 0)
		return asm_errorf(c, ops[0].col, "alignment must be a power of two (1 to %" PRIu64 ")",
		                  (uint64_t)PAGE_SIZE);
	return emit_data(c, NULL, (size_t)((v - (c->off[S_DATA] & (v - 1))) & (v - 1)), ops[0].col);
}

static int
asm_line(struct asm_ctx *c, const char *line, size_t len)
{
	size_t i = 0;
	char buf[64];

	if (lex_line(c, line, len) != 0)
		return -1;
	while (c->toks[i].kind == T_IDENT && tok_is(&c->toks[i + 1], ':')) {
		if (label_define(c, &c->toks[i]) != 0)
			return -1;
		i += 2;
	}
	if (c->toks[i].kind == T_EOL)
		return 0;
	if (c->toks[i].kind != T_IDENT)
		return asm_errorf(c, c->toks[i].col, "expected a label, instruction or directive, got %s",
		                  tokdesc(&c->toks[i], buf, sizeof(buf)));
	if (c->toks[i].s[0] == '.')
		return asm_directive(c, i);
	return asm_insn(c, i);
}

static int
asm_pass(struct asm_ctx *c, int pass)
{
	const char *p = c->src, *e;

	c->pass = pass;
	c->sect = S_TEXT;
	c->off[S_TEXT] = c->off[S_DATA] = 0;
	c->refi = 0;
	for (c->line = 1;; c->line++) {
		e = p + strcspn(p, "\n");
		if (asm_line(c, p, (size_t)(e - p)) != 0)
			return -1;
		if (*e == '\0')
			break;
		p = e + 1;
	}
	return 0;
}

static void
ctx_free(struct asm_ctx *c)
{
	free(c->toks);
	free(c->strbuf);
	free(c->labels);
	free(c->hash);
	free(c->pool);
	free(c->refs);
}

int
asm_assemble(const char *src, asm_resolve_fn resolve, void *arg, struct asm_image *out,
             struct asm_error *err)
{
	struct asm_error lerr;
	struct asm_ctx c;
	struct label *start;
	uint64_t text_len, user_data, data_len, data_base;
	size_t maxlen = 0, n;
	const char *p;
	int rc = PS_EINVAL;

	if (err == NULL)
		err = &lerr;
	memset(err, 0, sizeof(*err));
	if (out == NULL)
		return PS_EINVAL;
	memset(out, 0, sizeof(*out));
	memset(&c, 0, sizeof(c));
	c.err = err;
	c.line = 1;
	if (src == NULL) {
		asm_errorf(&c, 1, "no program text");
		return PS_EINVAL;
	}
	c.src = src;
	c.resolve = resolve;
	c.arg = arg;
	for (p = src;; p += n + 1) {
		n = strcspn(p, "\n");
		if (n > maxlen)
			maxlen = n;
		if (p[n] == '\0')
			break;
	}
	c.toks = malloc((maxlen + 2) * sizeof(*c.toks));
	c.strbuf = malloc(maxlen + 1);
	if (c.toks == NULL || c.strbuf == NULL) {
		asm_nomem(&c);
		rc = PS_ENOMEM;
		goto fail;
	}

	if (asm_pass(&c, 1) != 0)
		goto fail;
	text_len = c.off[S_TEXT];
	user_data = c.off[S_DATA];
	data_len = user_data + c.pool_len;
	if (text_len == 0) {
		c.line = 1;
		asm_errorf(&c, 1, "program has no instructions");
		goto fail;
	}
	data_base = VM_DATA_BASE(text_len);
	c.pool_base = data_base + user_data;
	for (size_t k = 0; k < c.nlabels; k++) {
		struct label *l = &c.labels[k];

		l->addr = l->sect == S_TEXT ? VM_TEXT_BASE + l->off : data_base + l->off;
	}
	start = label_find(&c, "start", 5);
	if (start != NULL && start->sect != S_TEXT) {
		c.line = start->line;
		asm_errorf(&c, start->col, "label 'start' (the entry point) must be in .text");
		goto fail;
	}

	c.buf[S_TEXT] = calloc(1, (size_t)text_len);
	if (data_len > 0)
		c.buf[S_DATA] = calloc(1, (size_t)data_len);
	out->syms = calloc(c.nlabels ? c.nlabels : 1, sizeof(*out->syms));
	if (c.buf[S_TEXT] == NULL || (data_len > 0 && c.buf[S_DATA] == NULL) || out->syms == NULL) {
		asm_nomem(&c);
		rc = PS_ENOMEM;
		goto fail;
	}
	if (asm_pass(&c, 2) != 0)
		goto fail;
	if (c.off[S_TEXT] != text_len || c.off[S_DATA] != user_data) {
		/* The passes disagree: a bug here, never the user's. */
		c.line = 1;
		asm_errorf(&c, 1, "internal error: passes disagree on the layout");
		goto fail;
	}
	if (c.pool_len > 0)
		memcpy(c.buf[S_DATA] + user_data, c.pool, c.pool_len);

	out->text = c.buf[S_TEXT];
	out->text_len = text_len;
	out->data = c.buf[S_DATA];
	out->data_len = data_len;
	out->entry = start != NULL ? start->addr : VM_TEXT_BASE;
	for (size_t k = 0; k < c.nlabels; k++) {
		memcpy(out->syms[k].name, c.labels[k].name, sizeof(out->syms[k].name));
		out->syms[k].addr = c.labels[k].addr;
	}
	out->nsyms = (uint32_t)c.nlabels;
	out->ninsns = (uint32_t)(text_len / CPU_INSN_SIZE);
	ctx_free(&c);
	return 0;

fail:
	if (c.nomem)
		rc = PS_ENOMEM;
	free(c.buf[S_TEXT]);
	free(c.buf[S_DATA]);
	free(out->syms);
	memset(out, 0, sizeof(*out));
	ctx_free(&c);
	return rc;
}

void
asm_image_free(struct asm_image *img)
{
	if (img == NULL)
		return;
	free(img->text);
	free(img->data);
	free(img->syms);
	memset(img, 0, sizeof(*img));
}
