/*
 * CRC32C with a run-time choice between the SSE4.2 crc32 instruction and a
 * slicing-by-8 table fallback. Both give identical results; the tables are
 * built once by a constructor so no lookup ever races their initialisation.
 * Long buffers run three independent instruction streams over three thirds
 * (the instruction's latency is three times its throughput) and join them
 * by multiplying the CRC registers by powers of x modulo the polynomial.
 */
#include "lib/crc32c.h"

#if defined(__x86_64__)
#include <nmmintrin.h>
#endif

#define CRC32C_POLY 0x82F63B78u

static uint32_t crc32c_table[8][256];
/* x^(2^k) modulo the polynomial, reflected (bit 31 is x^0). */
static uint32_t crc32c_x2k[32];
static int crc32c_use_hw;

/* a * b modulo the polynomial, both reflected (bit 31 is x^0). */
static uint32_t
crc32c_mulmod(uint32_t a, uint32_t b)
{
	uint32_t m = 0x80000000u, p = 0;

	for (;;) {
		if (a & m) {
			p ^= b;
			if ((a & (m - 1)) == 0)
				break;
		}
		m >>= 1;
		b = (b & 1) ? (b >> 1) ^ CRC32C_POLY : b >> 1;
	}
	return p;
}

/* x^(8n) modulo the polynomial: the register shift for n zero bytes. */
static uint32_t
crc32c_shift(size_t n)
{
	uint32_t p = 0x80000000u; /* x^0 */
	unsigned k = 3;           /* x^8 = x^(2^3) */

	while (n != 0) {
		if (n & 1)
			p = crc32c_mulmod(crc32c_x2k[k & 31], p);
		n >>= 1;
		k++;
	}
	return p;
}

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
	crc32c_x2k[0] = 0x40000000u; /* x^1 */
	for (k = 1; k < 32; k++)
		crc32c_x2k[k] =
		    crc32c_mulmod(crc32c_x2k[k - 1], crc32c_x2k[k - 1]);
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
/* Bytes below which one stream is as fast (the join costs ~2 us). */
#define CRC32C_3WAY_MIN 8192

static inline uint64_t
crc32c_le64(const uint8_t *b)
{
	return (uint64_t)b[0] | (uint64_t)b[1] << 8 | (uint64_t)b[2] << 16 |
	    (uint64_t)b[3] << 24 | (uint64_t)b[4] << 32 | (uint64_t)b[5] << 40 |
	    (uint64_t)b[6] << 48 | (uint64_t)b[7] << 56;
}

__attribute__((target("sse4.2"))) static uint32_t
crc32c_hw(uint32_t crc, const void *p, size_t n)
{
	const uint8_t *b = p;
	uint64_t c = ~crc, c1, c2;
	size_t len, i;
	uint32_t x;

	if (n >= CRC32C_3WAY_MIN) {
		/* Registers are linear: A||B||C from c is shift(c over A,
		 * |B|+|C|) ^ shift(0 over B, |C|) ^ (0 over C). */
		len = n / 24 * 8;
		c1 = c2 = 0;
		for (i = 0; i < len; i += 8) {
			c = _mm_crc32_u64(c, crc32c_le64(b + i));
			c1 = _mm_crc32_u64(c1, crc32c_le64(b + len + i));
			c2 = _mm_crc32_u64(c2, crc32c_le64(b + 2 * len + i));
		}
		x = crc32c_shift(len);
		c = crc32c_mulmod(
			x, crc32c_mulmod(x, (uint32_t)c) ^ (uint32_t)c1) ^
		    (uint32_t)c2;
		b += 3 * len;
		n -= 3 * len;
	}
	while (n >= 8) {
		c = _mm_crc32_u64(c, crc32c_le64(b));
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
