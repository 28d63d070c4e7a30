/*
 * Intrusive doubly linked lists in the shape of BSD's <sys/queue.h> LIST
 * macros, so that kernel code reads as it does in FreeBSD.  A list head
 * points at the first element; each entry keeps a pointer to the previous
 * element's next pointer, which makes removal O(1) without the head.
 * Insertion order is the only order these lists have.
 */
#ifndef PS_BASE_QUEUE_H
#define PS_BASE_QUEUE_H

#include <stddef.h>

#define LIST_HEAD(name, type)                                                 \
	struct name {                                                         \
		struct type *lh_first;                                        \
	}

#define LIST_ENTRY(type)                                                      \
	struct {                                                              \
		struct type *le_next;                                         \
		struct type **le_prev;                                        \
	}

#define LIST_FIRST(head) ((head)->lh_first)
#define LIST_EMPTY(head) ((head)->lh_first == NULL)
#define LIST_NEXT(elm, field) ((elm)->field.le_next)
#define LIST_INIT(head)                                                       \
	do {                                                                  \
		(head)->lh_first = NULL;                                      \
	} while (0)

#define LIST_FOREACH(var, head, field)                                        \
	for ((var) = LIST_FIRST(head); (var) != NULL; (var) = LIST_NEXT(var, field))

#define LIST_FOREACH_SAFE(var, head, field, tvar)                             \
	for ((var) = LIST_FIRST(head);                                        \
	     (var) != NULL && ((tvar) = LIST_NEXT(var, field), 1); (var) = (tvar))

#define LIST_INSERT_HEAD(head, elm, field)                                    \
	do {                                                                  \
		if (((elm)->field.le_next = (head)->lh_first) != NULL)        \
			(head)->lh_first->field.le_prev = &(elm)->field.le_next; \
		(head)->lh_first = (elm);                                     \
		(elm)->field.le_prev = &(head)->lh_first;                     \
	} while (0)

#define LIST_INSERT_AFTER(listelm, elm, field)                                \
	do {                                                                  \
		if (((elm)->field.le_next = (listelm)->field.le_next) != NULL) \
			(listelm)->field.le_next->field.le_prev =             \
			    &(elm)->field.le_next;                            \
		(listelm)->field.le_next = (elm);                             \
		(elm)->field.le_prev = &(listelm)->field.le_next;             \
	} while (0)

#define LIST_REMOVE(elm, field)                                               \
	do {                                                                  \
		if ((elm)->field.le_next != NULL)                             \
			(elm)->field.le_next->field.le_prev = (elm)->field.le_prev; \
		*(elm)->field.le_prev = (elm)->field.le_next;                 \
		(elm)->field.le_next = NULL;                                  \
		(elm)->field.le_prev = NULL;                                  \
	} while (0)

/* True when elm is linked on some list through field. */
#define LIST_LINKED(elm, field) ((elm)->field.le_prev != NULL)

/*
 * Tail queues: a head with first and last-next pointers, so that elements
 * can be appended in O(1) and lists keep FIFO order (sleep queues, the
 * signal queue).
 */
#define TAILQ_HEAD(name, type)                                                \
	struct name {                                                         \
		struct type *tqh_first;                                       \
		struct type **tqh_last;                                       \
	}

#define TAILQ_ENTRY(type)                                                     \
	struct {                                                              \
		struct type *tqe_next;                                        \
		struct type **tqe_prev;                                       \
	}

#define TAILQ_FIRST(head) ((head)->tqh_first)
#define TAILQ_EMPTY(head) ((head)->tqh_first == NULL)
#define TAILQ_NEXT(elm, field) ((elm)->field.tqe_next)
#define TAILQ_INIT(head)                                                      \
	do {                                                                  \
		(head)->tqh_first = NULL;                                     \
		(head)->tqh_last = &(head)->tqh_first;                        \
	} while (0)

#define TAILQ_FOREACH(var, head, field)                                       \
	for ((var) = TAILQ_FIRST(head); (var) != NULL; (var) = TAILQ_NEXT(var, field))

#define TAILQ_FOREACH_SAFE(var, head, field, tvar)                            \
	for ((var) = TAILQ_FIRST(head);                                       \
	     (var) != NULL && ((tvar) = TAILQ_NEXT(var, field), 1); (var) = (tvar))

#define TAILQ_INSERT_TAIL(head, elm, field)                                   \
	do {                                                                  \
		(elm)->field.tqe_next = NULL;                                 \
		(elm)->field.tqe_prev = (head)->tqh_last;                     \
		*(head)->tqh_last = (elm);                                    \
		(head)->tqh_last = &(elm)->field.tqe_next;                    \
	} while (0)

#define TAILQ_REMOVE(head, elm, field)                                        \
	do {                                                                  \
		if ((elm)->field.tqe_next != NULL)                            \
			(elm)->field.tqe_next->field.tqe_prev =               \
			    (elm)->field.tqe_prev;                            \
		else                                                          \
			(head)->tqh_last = (elm)->field.tqe_prev;             \
		*(elm)->field.tqe_prev = (elm)->field.tqe_next;               \
		(elm)->field.tqe_next = NULL;                                 \
		(elm)->field.tqe_prev = NULL;                                 \
	} while (0)

/* True when elm is linked on some tail queue through field. */
#define TAILQ_LINKED(elm, field) ((elm)->field.tqe_prev != NULL)

#endif /* PS_BASE_QUEUE_H */
