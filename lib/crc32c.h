/*
 * CRC32C (Castagnoli, reflected polynomial 0x82F63B78), the checksum of
 * flow-file headers and blocks. Uses the SSE4.2 crc32 instruction when the
 * CPU has it (checked at run time) and a table-driven fallback otherwise.
 */
#ifndef FT_CRC32C_H
#define FT_CRC32C_H

#include <stddef.h>
#include <stdint.h>

/*
 * Extend crc (0 to start) over n bytes at p and return the new CRC.
 * crc32c(0, "123456789", 9) == 0xE3069283.
 */
uint32_t crc32c(uint32_t crc, const void *p, size_t n);
/* The software path alone (for tests and benchmarks). */
uint32_t crc32c_sw(uint32_t crc, const void *p, size_t n);
/* Whether crc32c() uses the hardware instruction on this CPU. */
int crc32c_hw_available(void);

#endif
