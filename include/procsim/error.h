/*
 * procsim: error codes.
 *
 * Every public function that can fail returns an int: zero or a positive
 * value on success, a negative PS_E* code on failure.  The codes are the
 * *simulated* kernel's errno values, numbered as FreeBSD numbers them, so a
 * trace or a test that prints a code reads the same on every host.  They are
 * generated from one table, PS_ERRNO_MAP, together with ps_strerror() and
 * ps_err_name().  Codes that belong to procsim itself (not to the simulated
 * kernel) live far below the errno range.
 */
#ifndef PROCSIM_ERROR_H
#define PROCSIM_ERROR_H

#include <procsim/export.h>

#ifdef __cplusplus
extern "C" {
#endif

/* XX(name, value, message).  Values are negated FreeBSD errno numbers. */
#define PS_ERRNO_MAP(XX)                                                      \
	XX(EPERM, -1, "operation not permitted")                             \
	XX(ENOENT, -2, "no such file or directory")                          \
	XX(ESRCH, -3, "no such process")                                     \
	XX(EINTR, -4, "interrupted system call")                             \
	XX(EIO, -5, "input/output error")                                    \
	XX(E2BIG, -7, "argument list too long")                              \
	XX(ENOEXEC, -8, "exec format error")                                 \
	XX(EBADF, -9, "bad file descriptor")                                 \
	XX(ECHILD, -10, "no child processes")                                \
	XX(EDEADLK, -11, "resource deadlock avoided")                        \
	XX(ENOMEM, -12, "cannot allocate memory")                            \
	XX(EACCES, -13, "permission denied")                                 \
	XX(EFAULT, -14, "bad address")                                       \
	XX(EBUSY, -16, "device busy")                                        \
	XX(EEXIST, -17, "file exists")                                       \
	XX(ENODEV, -19, "operation not supported by device")                 \
	XX(EINVAL, -22, "invalid argument")                                  \
	XX(ENOTTY, -25, "inappropriate ioctl for device")                    \
	XX(ERANGE, -34, "result too large")                                  \
	XX(EAGAIN, -35, "resource temporarily unavailable")                  \
	XX(EINPROGRESS, -36, "operation now in progress")                    \
	XX(ENAMETOOLONG, -63, "file name too long")                          \
	XX(ENOSYS, -78, "function not implemented")                          \
	XX(EINVARIANT, -4090, "a kernel invariant does not hold")            \
	XX(ELOCKORDER, -4091, "lock order reversal (strict witness)")        \
	XX(ENOSPC_TRACE, -4092, "trace buffer too small")

enum ps_errno {
#define PS_ERRNO_ENUM_(name, value, msg) PS_##name = (value),
	PS_ERRNO_MAP(PS_ERRNO_ENUM_)
#undef PS_ERRNO_ENUM_
};

/* "EPERM" for PS_EPERM; "EUNKNOWN" for a value that is not a PS_E* code. */
PS_EXTERN const char *ps_err_name(int err);

/* A message such as "no such process"; "unknown error" otherwise. */
PS_EXTERN const char *ps_strerror(int err);

#ifdef __cplusplus
}
#endif

#endif /* PROCSIM_ERROR_H */
