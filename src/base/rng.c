#include "base/rng.h"

#include "base/assert.h"

static uint64_t
splitmix64(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static inline uint64_t
rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

void
ps_rng_seed(struct ps_rng *rng, uint64_t seed)
{
	uint64_t x = seed;

	for (int i = 0; i < 4; i++)
		rng->s[i] = splitmix64(&x);
}

uint64_t
ps_rng_next(struct ps_rng *rng)
{
	uint64_t *s = rng->s;
	uint64_t result = rotl(s[1] * 5, 7) * 9;
	uint64_t t = s[1] << 17;

	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 45);
	return result;
}

uint64_t
ps_rng_below(struct ps_rng *rng, uint64_t bound)
{
	uint64_t limit, r;

	PS_ASSERT(bound > 0);
	/* Reject the top sliver that would bias the modulo. */
	limit = UINT64_MAX - (UINT64_MAX % bound);
	do {
		r = ps_rng_next(rng);
	} while (r >= limit);
	return r % bound;
}
