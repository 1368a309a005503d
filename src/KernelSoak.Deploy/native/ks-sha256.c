/* ks-sha256: sha256 of files with the ARMv8 SHA-2 instructions, freestanding (no libc), for boards whose
 * sha256sum runs in plain C. Output as sha256sum: "<hex>  <path>\n". Exit 1 if a file cannot be read. */
#include <arm_neon.h>
typedef unsigned long size_t;
typedef long ssize_t;

static long sys(long n, long a, long b, long c, long d) {
    register long x8 __asm__("x8") = n, x0 __asm__("x0") = a, x1 __asm__("x1") = b, x2 __asm__("x2") = c, x3 __asm__("x3") = d;
    __asm__ volatile("svc 0" : "+r"(x0) : "r"(x8), "r"(x1), "r"(x2), "r"(x3) : "memory");
    return x0;
}
#define SYS_openat 56
#define SYS_close 57
#define SYS_read 63
#define SYS_write 64
#define SYS_exit 93
#define AT_FDCWD -100

static const uint32_t K[64] = {
    0x428a2f98,0x71374491,0xb5c0fbcf,0xe9b5dba5,0x3956c25b,0x59f111f1,0x923f82a4,0xab1c5ed5,0xd807aa98,0x12835b01,0x243185be,0x550c7dc3,
    0x72be5d74,0x80deb1fe,0x9bdc06a7,0xc19bf174,0xe49b69c1,0xefbe4786,0x0fc19dc6,0x240ca1cc,0x2de92c6f,0x4a7484aa,0x5cb0a9dc,0x76f988da,
    0x983e5152,0xa831c66d,0xb00327c8,0xbf597fc7,0xc6e00bf3,0xd5a79147,0x06ca6351,0x14292967,0x27b70a85,0x2e1b2138,0x4d2c6dfc,0x53380d13,
    0x650a7354,0x766a0abb,0x81c2c92e,0x92722c85,0xa2bfe8a1,0xa81a664b,0xc24b8b70,0xc76c51a3,0xd192e819,0xd6990624,0xf40e3585,0x106aa070,
    0x19a4c116,0x1e376c08,0x2748774c,0x34b0bcb5,0x391c0cb3,0x4ed8aa4a,0x5b9cca4f,0x682e6ff3,0x748f82ee,0x78a5636f,0x84c87814,0x8cc70208,
    0x90befffa,0xa4506ceb,0xbef9a3f7,0xc67178f2};

static void blocks(uint32x4_t st[2], const uint8_t *p, size_t n) {
    uint32x4_t s0 = st[0], s1 = st[1];
    for (; n; n--, p += 64) {
        uint32x4_t m[4], a = s0, b = s1;
        for (int i = 0; i < 4; i++) m[i] = vreinterpretq_u32_u8(vrev32q_u8(vld1q_u8(p + 16 * i)));
        for (int i = 0; i < 16; i++) {
            uint32x4_t w = vaddq_u32(m[i & 3], vld1q_u32(K + 4 * i)), t = a;
            a = vsha256hq_u32(a, b, w);
            b = vsha256h2q_u32(b, t, w);
            if (i < 12) m[i & 3] = vsha256su1q_u32(vsha256su0q_u32(m[i & 3], m[(i + 1) & 3]), m[(i + 2) & 3], m[(i + 3) & 3]);
        }
        s0 = vaddq_u32(s0, a);
        s1 = vaddq_u32(s1, b);
    }
    st[0] = s0; st[1] = s1;
}

static uint8_t buf[1 << 20];
static char out[64 + 2 + 4096 + 1];

static int digest(const char *path) {
    int fd = (int)sys(SYS_openat, AT_FDCWD, (long)path, 0, 0);
    if (fd < 0) return 1;
    static const uint32_t H[8] = {0x6a09e667,0xbb67ae85,0x3c6ef372,0xa54ff53a,0x510e527f,0x9b05688c,0x1f83d9ab,0x5be0cd19};
    uint32x4_t st[2] = {vld1q_u32(H), vld1q_u32(H + 4)};
    size_t have = 0; unsigned long long total = 0;
    for (;;) {
        ssize_t r = sys(SYS_read, fd, (long)(buf + have), sizeof buf - have, 0);
        if (r < 0) { sys(SYS_close, fd, 0, 0, 0); return 1; }
        if (r == 0) break;
        have += r; total += r;
        size_t whole = have / 64;
        blocks(st, buf, whole);
        for (size_t i = 0; i < have % 64; i++) buf[i] = buf[whole * 64 + i];
        have %= 64;
    }
    sys(SYS_close, fd, 0, 0, 0);
    buf[have++] = 0x80;
    size_t pad = (have <= 56 ? 56 : 120) - have;
    for (size_t i = 0; i < pad; i++) buf[have++] = 0;
    for (int i = 7; i >= 0; i--) buf[have++] = (uint8_t)((total * 8) >> (8 * i));
    blocks(st, buf, have / 64);
    uint32_t h[8];
    vst1q_u32(h, st[0]); vst1q_u32(h + 4, st[1]);
    static const char hex[] = "0123456789abcdef";
    size_t o = 0;
    for (int i = 0; i < 8; i++) for (int j = 28; j >= 0; j -= 4) out[o++] = hex[(h[i] >> j) & 15];
    out[o++] = ' '; out[o++] = ' ';
    for (const char *s = path; *s && o < sizeof out - 1; s++) out[o++] = *s;
    out[o++] = '\n';
    sys(SYS_write, 1, (long)out, o, 0);
    return 0;
}

__attribute__((used)) int main_(long argc, char **argv) {
    int failed = 0;
    for (long i = 1; i < argc; i++) failed |= digest(argv[i]);
    return failed;
}

__asm__(".global _start\n_start:\n ldr x0, [sp]\n add x1, sp, 8\n bl main_\n mov x8, 93\n svc 0\n");
