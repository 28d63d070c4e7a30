#include "base/assert.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

void
ps__assert_fail(const char *file, int line, const char *expr, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "procsim: assertion failed at %s:%d: %s", file, line, expr);
	if (fmt != NULL) {
		fputs(": ", stderr);
		va_start(ap, fmt);
		vfprintf(stderr, fmt, ap);
		va_end(ap);
	}
	fputc('\n', stderr);
	abort();
}
