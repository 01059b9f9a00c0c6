/* A fuzz target for fastrows.c: any bytes as a holders file, read in blocks of any size, with
 * any columns and separator. What it checks is memory: run under AddressSanitizer and
 * UndefinedBehaviorSanitizer, a read or write out of bounds, a leak or an overflow stops it.
 * Whether a row is checked right is tests/holders/test_fastrows.py's business.
 *
 *   make fuzz                  (clang's libFuzzer, 5 minutes)
 *
 * The first bytes of the input choose the set-up: separator, columns, block sizes.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef struct fr fr_t;
fr_t *fr_new(int delimiter, int width, const int *positions, const int64_t *limits,
             const char *prefix, uint64_t k0, uint64_t k1, int64_t expected_rows);
void fr_free(fr_t *s);
int fr_add_state(fr_t *s, const char *key, const char *code);
int fr_add_country(fr_t *s, const char *code);
int fr_add_flag(fr_t *s, const char *word, int value);
int fr_add_key(fr_t *s, const char *key, size_t len);
void fr_totals(const fr_t *s, int64_t *count, char *total_cents, char *excluded_cents,
               int *scales, int64_t *record_no);
int fr_scan(fr_t *s, const char *data, size_t len, int final, char *out, size_t out_cap,
            size_t *out_len, int64_t *fallback, size_t fallback_cap, size_t *fallback_n,
            size_t *consumed);

#define SETUP 16

int LLVMFuzzerTestOneInput(const uint8_t *input, size_t size) {
    if (size < SETUP) return 0;
    static const char delimiters[] = ",;\t|";
    int width = 1 + input[0] % 14;
    int positions[12];
    for (int i = 0; i < 12; i++) positions[i] = (int)(input[1 + i] % (width + 1)) - 1;
    /* The required fields, as holders.columns insists, somewhere. */
    for (int i = 0; i < 12; i++)
        if ((i == 0 || i == 1 || i == 4 || i == 9) && positions[i] < 0) positions[i] = i % width;
    int64_t limits[5] = {200, 100, 50, 20, 254};
    fr_t *s = fr_new(delimiters[input[13] % 4], width, positions, limits, "12\t3\t", 1, 2,
                     input[14]);
    if (!s) return 0;
    fr_add_state(s, "NY", "NY");
    fr_add_state(s, "ny", "NY");
    fr_add_country(s, "US");
    fr_add_country(s, "GB");
    fr_add_flag(s, "", 0);
    fr_add_flag(s, "yes", 1);
    fr_add_flag(s, "x", 1);
    static const char key[] = "ann lee\x1f" "1 main st\x1f" "06103";
    fr_add_key(s, key, sizeof key - 1);

    const char *data = (const char *)input + SETUP;
    size_t len = size - SETUP, step = 1 + input[15] % 64, start = 0, have = 0;
    /* The caller's buffers, as holders.fastrows sizes them: room for the data twice over. */
    size_t out_cap = 2 * len + 4096;
    char *out = malloc(out_cap);
    char *buffer = malloc(len + 1);
    int64_t fallback[3 * 8];
    char total[48], excluded[48];
    int scales[2];
    int64_t count, record;
    while (out && buffer) {
        size_t more = len - have < step ? len - have : step;
        have += more;
        int final = have == len;
        size_t n = have - start;
        memcpy(buffer, data + start, n);
        size_t offset = 0;
        int code;
        do {
            size_t out_len = 0, fallback_n = 0, consumed = 0;
            code = fr_scan(s, buffer + offset, n - offset, final, out, out_cap, &out_len, fallback,
                           8, &fallback_n, &consumed);
            for (size_t i = 0; i < fallback_n; i++)
                if (fallback[3 * i] < 0 || fallback[3 * i + 1] > (int64_t)(n - offset)) abort();
            offset += consumed;
            if (code == 1 && !consumed && !out_len && !fallback_n) abort(); /* no progress */
        } while (code == 1);
        start += offset;
        if (code == 2 || final) break;
    }
    fr_totals(s, &count, total, excluded, scales, &record);
    free(out);
    free(buffer);
    fr_free(s);
    return 0;
}
