/*
 * procsim: symbol visibility.  The library is built with hidden visibility;
 * only declarations marked PS_EXTERN are exported from the shared object.
 */
#ifndef PROCSIM_EXPORT_H
#define PROCSIM_EXPORT_H

#if defined(PROCSIM_BUILDING) && defined(__GNUC__)
#define PS_EXTERN __attribute__((visibility("default")))
#else
#define PS_EXTERN
#endif

#endif /* PROCSIM_EXPORT_H */
