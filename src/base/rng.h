/*
 * The simulator's only source of randomness: xoshiro256** seeded through
 * splitmix64, so one 64-bit seed fixes every random choice.
 */
#ifndef PS_BASE_RNG_H
#define PS_BASE_RNG_H

#include <stdint.h>

struct ps_rng {
	uint64_t s[4];
};

void ps_rng_seed(struct ps_rng *rng, uint64_t seed);
uint64_t ps_rng_next(struct ps_rng *rng);
/* Uniform in [0, bound); bound > 0.  Unbiased (rejection sampling). */
uint64_t ps_rng_below(struct ps_rng *rng, uint64_t bound);

#endif /* PS_BASE_RNG_H */
