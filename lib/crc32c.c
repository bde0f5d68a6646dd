/*
 * CRC32C with a run-time choice between the SSE4.2 crc32 instruction and a
 * slicing-by-8 table fallback. Both give identical results; the tables are
 * built once by a constructor so no lookup ever races their initialisation.
 */
#include "lib/crc32c.h"

#if defined(__x86_64__)
#include <nmmintrin.h>
#endif

#define CRC32C_POLY 0x82F63B78u

static uint32_t crc32c_table[8][256];
static int crc32c_use_hw;

__attribute__((constructor)) static void
crc32c_init_tables(void)
{
	uint32_t c;
	int i, j, k;

	for (i = 0; i < 256; i++) {
		c = (uint32_t)i;
		for (j = 0; j < 8; j++)
			c = (c >> 1) ^ ((c & 1) ? CRC32C_POLY : 0);
		crc32c_table[0][i] = c;
	}
	for (i = 0; i < 256; i++) {
		c = crc32c_table[0][i];
		for (k = 1; k < 8; k++) {
			c = (c >> 8) ^ crc32c_table[0][c & 0xff];
			crc32c_table[k][i] = c;
		}
	}
#if defined(__x86_64__)
	/* Constructors may run before libgcc's own CPU probe. */
	__builtin_cpu_init();
#endif
	crc32c_use_hw = crc32c_hw_available();
}

uint32_t
crc32c_sw(uint32_t crc, const void *p, size_t n)
{
	const uint8_t *b = p;
	uint32_t c = ~crc;
	uint32_t lo, hi;

	while (n >= 8) {
		lo = c ^
		    ((uint32_t)b[0] | (uint32_t)b[1] << 8 |
			(uint32_t)b[2] << 16 | (uint32_t)b[3] << 24);
		hi = (uint32_t)b[4] | (uint32_t)b[5] << 8 |
		    (uint32_t)b[6] << 16 | (uint32_t)b[7] << 24;
		c = crc32c_table[7][lo & 0xff] ^
		    crc32c_table[6][(lo >> 8) & 0xff] ^
		    crc32c_table[5][(lo >> 16) & 0xff] ^
		    crc32c_table[4][lo >> 24] ^ crc32c_table[3][hi & 0xff] ^
		    crc32c_table[2][(hi >> 8) & 0xff] ^
		    crc32c_table[1][(hi >> 16) & 0xff] ^
		    crc32c_table[0][hi >> 24];
		b += 8;
		n -= 8;
	}
	while (n-- > 0)
		c = (c >> 8) ^ crc32c_table[0][(c ^ *b++) & 0xff];
	return ~c;
}

#if defined(__x86_64__)
__attribute__((target("sse4.2"))) static uint32_t
crc32c_hw(uint32_t crc, const void *p, size_t n)
{
	const uint8_t *b = p;
	uint64_t c = ~crc;
	uint64_t v;

	while (n >= 8) {
		v = (uint64_t)b[0] | (uint64_t)b[1] << 8 |
		    (uint64_t)b[2] << 16 | (uint64_t)b[3] << 24 |
		    (uint64_t)b[4] << 32 | (uint64_t)b[5] << 40 |
		    (uint64_t)b[6] << 48 | (uint64_t)b[7] << 56;
		c = _mm_crc32_u64(c, v);
		b += 8;
		n -= 8;
	}
	while (n-- > 0)
		c = _mm_crc32_u8((uint32_t)c, *b++);
	return ~(uint32_t)c;
}
#endif

int
crc32c_hw_available(void)
{
#if defined(__x86_64__)
	return __builtin_cpu_supports("sse4.2") ? 1 : 0;
#else
	return 0;
#endif
}

uint32_t
crc32c(uint32_t crc, const void *p, size_t n)
{
#if defined(__x86_64__)
	if (crc32c_use_hw)
		return crc32c_hw(crc, p, n);
#endif
	return crc32c_sw(crc, p, n);
}
