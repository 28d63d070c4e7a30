/*
 * Assertions that stay on in every build type.  An assertion states a
 * programmer's invariant; bad input from a user never reaches one, because
 * the public API validates its arguments first and returns PS_EINVAL.
 * A failed assertion prints the message and aborts: a simulator that goes on
 * in a state it knows to be wrong would produce traces nobody can trust.
 */
#ifndef PS_BASE_ASSERT_H
#define PS_BASE_ASSERT_H

#include <stddef.h>
#include <stdnoreturn.h>

noreturn void ps__assert_fail(const char *file, int line, const char *expr, const char *fmt,
                              ...) __attribute__((format(printf, 4, 5)));

#define PS_ASSERT(cond)                                                       \
	do {                                                                  \
		if (__builtin_expect(!(cond), 0))                             \
			ps__assert_fail(__FILE__, __LINE__, #cond, NULL);     \
	} while (0)

#define PS_ASSERT_MSG(cond, ...)                                              \
	do {                                                                  \
		if (__builtin_expect(!(cond), 0))                             \
			ps__assert_fail(__FILE__, __LINE__, #cond, __VA_ARGS__); \
	} while (0)

#define PS_PANIC(...) ps__assert_fail(__FILE__, __LINE__, "panic", __VA_ARGS__)

/* Kernel spelling, as the seeds write it. */
#define KASSERT(cond, msg) PS_ASSERT_MSG(cond, "%s", msg)

#endif /* PS_BASE_ASSERT_H */
