/* The common row of a List of Holders, read, checked and written as COPY text in C.
 *
 * holders.validation is the reference: it knows every way a Guarantor's file can be wrong and
 * says so in words. Run in Python it costs about 5 microseconds a row, which makes a
 * million-row import five times as long as PostgreSQL's own COPY of the file. This file does
 * the same work for the rows that are plainly valid and nothing else:
 *
 *   printable ASCII only; as many cells as the header; a name, street and city within the
 *   register's sizes; no country, or an ISO code; for the United States a state code
 *   exactly as the reference's table spells it and a ZIP or ZIP+4; an amount in digits,
 *   optionally with "$" and thousands commas, positive, at most two decimals that count;
 *   an e-mail address of letters, digits and ".+-_" before a plain domain; yes/no flags.
 *
 * For those rows it writes exactly the COPY line the reference would (holders.writers) and
 * adds up the same totals. Every other row is handed back, as a span of the file, for the
 * reference to read and check (holders.fastrows). Anything that cannot be decided row by row
 * stops the scan (SCAN_DOUBT): a CSV quirk Python's csv module treats in its own way, a NUL
 * byte, or the same holder key seen twice (the duplicate check keeps 64-bit keyed hashes, so a
 * repeat may be a real duplicate or, once in 10^7 million-row files, two keys with one hash).
 * The caller then imports the whole file with the reference alone, which says what is wrong.
 *
 * No Python API: the functions are called through ctypes, with buffers the caller owns.
 * Every write is bounds-checked against the capacity passed in.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define N_FIELDS 12
#define MAX_CELLS 64
/* csv.field_size_limit()'s default; a longer cell makes the csv module raise. */
#define MAX_FIELD 131072
#define MAX_FLAGS 32
#define MAX_FLAG_WORD 15
#define MAX_PREFIX 48

enum {
    F_NAME,
    F_ADDRESS_1,
    F_ADDRESS_2,
    F_ADDRESS_3,
    F_CITY,
    F_STATE,
    F_POSTAL,
    F_COUNTRY,
    F_EMAIL,
    F_AMOUNT,
    F_GUARANTOR,
    F_TRUSTEE
};

/* The register's sizes (holders.vocabulary.MAX_LENGTHS), set by the caller. */
enum { L_NAME, L_CITY, L_STATE, L_POSTAL, L_EMAIL, N_LIMITS };

enum { SCAN_DONE = 0, SCAN_MORE = 1, SCAN_DOUBT = 2 };

typedef struct {
    size_t start, len;
} span_t;

typedef struct {
    int delimiter, width, positions[N_FIELDS];
    size_t limits[N_LIMITS];
    char prefix[MAX_PREFIX];
    size_t prefix_len;
    /* Two-character US state keys the reference's table maps, to the code they map to. */
    uint16_t states[128 * 128];
    /* ISO country codes, by their two capital letters. */
    uint8_t countries[128 * 128];
    char flag_words[MAX_FLAGS][MAX_FLAG_WORD + 1];
    size_t flag_lengths[MAX_FLAGS];
    int flag_values[MAX_FLAGS], flag_count;
    /* Holder keys seen, as keyed 64-bit hashes; 0 marks an empty slot. */
    uint64_t *slots;
    size_t slot_mask, slot_used;
    uint64_t k0, k1;
    unsigned char *scratch, *key;
    size_t scratch_size, key_size;
    int header_done;
    int64_t record_no, count;
    unsigned __int128 total_cents, excluded_cents;
    int max_scale, excluded_scale;
    const char *doubt;
} fr_t;

/* -- SipHash-2-4 (Aumasson and Bernstein), keyed per import ---------------------------------- */

#define ROTL(x, b) (uint64_t)(((x) << (b)) | ((x) >> (64 - (b))))
#define SIPROUND                                                                              \
    do {                                                                                      \
        v0 += v1; v1 = ROTL(v1, 13); v1 ^= v0; v0 = ROTL(v0, 32);                             \
        v2 += v3; v3 = ROTL(v3, 16); v3 ^= v2;                                                \
        v0 += v3; v3 = ROTL(v3, 21); v3 ^= v0;                                                \
        v2 += v1; v1 = ROTL(v1, 17); v1 ^= v2; v2 = ROTL(v2, 32);                             \
    } while (0)

static uint64_t siphash(const unsigned char *in, size_t len, uint64_t k0, uint64_t k1) {
    uint64_t v0 = 0x736f6d6570736575ULL ^ k0, v1 = 0x646f72616e646f6dULL ^ k1;
    uint64_t v2 = 0x6c7967656e657261ULL ^ k0, v3 = 0x7465646279746573ULL ^ k1;
    uint64_t b = ((uint64_t)len) << 56, m;
    const unsigned char *end = in + len - (len % 8);
    for (; in != end; in += 8) {
        m = 0;
        for (int i = 0; i < 8; i++) m |= ((uint64_t)in[i]) << (8 * i);
        v3 ^= m;
        SIPROUND;
        SIPROUND;
        v0 ^= m;
    }
    for (size_t i = 0; i < (len & 7); i++) b |= ((uint64_t)in[i]) << (8 * i);
    v3 ^= b;
    SIPROUND;
    SIPROUND;
    v0 ^= b;
    v2 ^= 0xff;
    SIPROUND;
    SIPROUND;
    SIPROUND;
    SIPROUND;
    return v0 ^ v1 ^ v2 ^ v3;
}

/* 1 if the key is new (and now kept), 0 if seen before, -1 out of memory. */
static int remember(fr_t *s, const unsigned char *key, size_t len) {
    uint64_t h = siphash(key, len, s->k0, s->k1);
    if (h == 0) h = 1;
    if ((s->slot_used + 1) * 2 > s->slot_mask + 1) {
        size_t size = (s->slot_mask + 1) * 2;
        uint64_t *grown = calloc(size, sizeof *grown);
        if (!grown) return -1;
        for (size_t i = 0; i <= s->slot_mask; i++) {
            uint64_t old = s->slots[i];
            if (!old) continue;
            size_t j = old & (size - 1);
            while (grown[j]) j = (j + 1) & (size - 1);
            grown[j] = old;
        }
        free(s->slots);
        s->slots = grown;
        s->slot_mask = size - 1;
    }
    size_t j = h & s->slot_mask;
    while (s->slots[j]) {
        if (s->slots[j] == h) return 0;
        j = (j + 1) & s->slot_mask;
    }
    s->slots[j] = h;
    s->slot_used++;
    return 1;
}

/* -- set-up --------------------------------------------------------------------------------- */

fr_t *fr_new(int delimiter, int width, const int *positions, const int64_t *limits,
             const char *prefix, uint64_t k0, uint64_t k1, int64_t expected_rows) {
    size_t prefix_len = strlen(prefix);
    if (width < 1 || width > MAX_CELLS || prefix_len >= MAX_PREFIX) return NULL;
    if (delimiter <= 0 || delimiter >= 0x80 || delimiter == '"' || delimiter == ' ' ||
        delimiter == '\r' || delimiter == '\n')
        return NULL;
    for (int i = 0; i < N_FIELDS; i++)
        if (positions[i] >= width) return NULL;
    if (positions[F_NAME] < 0 || positions[F_ADDRESS_1] < 0 || positions[F_CITY] < 0 ||
        positions[F_AMOUNT] < 0)
        return NULL;
    fr_t *s = calloc(1, sizeof *s);
    if (!s) return NULL;
    s->delimiter = delimiter;
    s->width = width;
    memcpy(s->positions, positions, sizeof s->positions);
    for (int i = 0; i < N_LIMITS; i++) s->limits[i] = (size_t)limits[i];
    memcpy(s->prefix, prefix, prefix_len + 1);
    s->prefix_len = prefix_len;
    s->k0 = k0;
    s->k1 = k1;
    size_t size = 1024;
    while (expected_rows > 0 && size < (size_t)expected_rows * 2) size *= 2;
    s->slots = calloc(size, sizeof *s->slots);
    if (!s->slots) {
        free(s);
        return NULL;
    }
    s->slot_mask = size - 1;
    return s;
}

void fr_free(fr_t *s) {
    if (!s) return;
    free(s->slots);
    free(s->scratch);
    free(s->key);
    free(s);
}

static int ascii_pair(const char *text) {
    const unsigned char *t = (const unsigned char *)text;
    return t && t[0] && t[0] < 0x80 && t[1] && t[1] < 0x80 && !t[2];
}

int fr_add_state(fr_t *s, const char *key, const char *code) {
    if (!ascii_pair(key) || !ascii_pair(code)) return 0;
    s->states[(unsigned char)key[0] * 128 + (unsigned char)key[1]] =
        (uint16_t)(code[0] << 8 | code[1]);
    return 1;
}

int fr_add_country(fr_t *s, const char *code) {
    if (!ascii_pair(code) || code[0] < 'A' || code[0] > 'Z' || code[1] < 'A' || code[1] > 'Z')
        return 0;
    s->countries[(unsigned char)code[0] * 128 + (unsigned char)code[1]] = 1;
    return 1;
}

int fr_add_flag(fr_t *s, const char *word, int value) {
    size_t len = strlen(word);
    if (s->flag_count >= MAX_FLAGS || len > MAX_FLAG_WORD) return 0;
    for (size_t i = 0; i < len; i++)
        if ((unsigned char)word[i] >= 0x80 || (word[i] >= 'A' && word[i] <= 'Z')) return 0;
    memcpy(s->flag_words[s->flag_count], word, len + 1);
    s->flag_lengths[s->flag_count] = len;
    s->flag_values[s->flag_count++] = value;
    return 1;
}

/* A key computed by the reference for a row it checked: 1 new, 0 seen, -1 out of memory. */
int fr_add_key(fr_t *s, const char *key, size_t len) {
    return remember(s, (const unsigned char *)key, len);
}

const char *fr_doubt(const fr_t *s) { return s->doubt ? s->doubt : ""; }

/* count, total and affiliates' total in cents (as decimal text), the most decimals written in
   each (the exponent of the reference's Decimal sums), and the number of the last record read. */
static void u128_text(unsigned __int128 value, char *out) {
    char digits[48];
    int n = 0;
    do {
        digits[n++] = (char)('0' + (int)(value % 10));
        value /= 10;
    } while (value);
    for (int i = 0; i < n; i++) out[i] = digits[n - 1 - i];
    out[n] = 0;
}

void fr_totals(const fr_t *s, int64_t *count, char *total_cents, char *excluded_cents,
               int *scales, int64_t *record_no) {
    *count = s->count;
    u128_text(s->total_cents, total_cents);
    u128_text(s->excluded_cents, excluded_cents);
    scales[0] = s->max_scale;
    scales[1] = s->excluded_scale;
    *record_no = s->record_no;
}

/* -- one record, as Python's csv.reader (strict, skipinitialspace, double quotes) reads it --- */

enum { R_OK, R_INCOMPLETE, R_DOUBT };

/* What str.isspace() says of an ASCII character; any other byte counts as a value. */
static int is_space(unsigned c) {
    return c == ' ' || (c >= '\t' && c <= '\r') || (c >= 0x1c && c <= 0x1f);
}
enum { START_FIELD, IN_FIELD, IN_QUOTED, QUOTE_IN_QUOTED };

typedef struct {
    span_t cells[MAX_CELLS];
    int n;
    int high, control, too_many, nonblank;
    size_t end;
} record_t;

static int parse_record(fr_t *s, const unsigned char *b, size_t len, size_t pos, int final,
                        record_t *r) {
    unsigned char *sc = s->scratch;
    size_t sp = 0, fstart = 0, i = pos;
    int state = START_FIELD, delimiter = s->delimiter;
    unsigned c = 0;
    r->n = 0;
    r->high = r->control = r->too_many = r->nonblank = 0;

#define SAVE()                                                                                \
    do {                                                                                      \
        if (r->n < MAX_CELLS) {                                                               \
            r->cells[r->n].start = fstart;                                                    \
            r->cells[r->n].len = sp - fstart;                                                 \
            r->n++;                                                                           \
        } else                                                                                \
            r->too_many = 1;                                                                  \
        fstart = sp;                                                                          \
    } while (0)
#define ADD(ch)                                                                               \
    do {                                                                                      \
        if ((ch) < 0x20) r->control = 1;                                                      \
        if (!is_space(ch)) r->nonblank = 1;                                                   \
        if (sp - fstart >= MAX_FIELD) {                                                       \
            s->doubt = "a value longer than the csv module reads";                            \
            return R_DOUBT;                                                                   \
        }                                                                                     \
        sc[sp++] = (unsigned char)(ch);                                                       \
    } while (0)

    for (;;) {
        if (i == len) {
            if (!final) return R_INCOMPLETE;
            if (state == IN_QUOTED) {
                s->doubt = "a quoted value that never closes";
                return R_DOUBT;
            }
            SAVE();
            r->end = i;
            return R_OK;
        }
        c = b[i++];
        if (c == 0) {
            s->doubt = "a NUL byte";
            return R_DOUBT;
        }
        if (c >= 0x80) r->high = 1;
        switch (state) {
        case START_FIELD:
            if (c == '\r' || c == '\n') goto end_record;
            if (c == '"') {
                state = IN_QUOTED;
            } else if (c == ' ') {
                /* skipinitialspace */
            } else if ((int)c == delimiter) {
                SAVE();
            } else {
                ADD(c);
                state = IN_FIELD;
            }
            break;
        case IN_FIELD:
            if (c == '\r' || c == '\n') goto end_record;
            if ((int)c == delimiter) {
                SAVE();
                state = START_FIELD;
            } else {
                ADD(c);
            }
            break;
        case IN_QUOTED:
            if (c == '"')
                state = QUOTE_IN_QUOTED;
            else
                ADD(c);
            break;
        case QUOTE_IN_QUOTED:
            if (c == '"') {
                ADD(c);
                state = IN_QUOTED;
            } else if ((int)c == delimiter) {
                SAVE();
                state = START_FIELD;
            } else if (c == '\r' || c == '\n') {
                goto end_record;
            } else {
                s->doubt = "text after the closing quotation mark of a value";
                return R_DOUBT;
            }
            break;
        }
    }
end_record:
    SAVE();
    if (c == '\r') {
        if (i == len) {
            /* The "\n" of a "\r\n" may be in the next block. */
            if (!final) return R_INCOMPLETE;
        } else if (b[i] == '\n') {
            i++;
        }
    }
    r->end = i;
    return R_OK;
#undef SAVE
#undef ADD
}


/* -- one row, checked as the reference checks it --------------------------------------------- */

typedef struct {
    const unsigned char *p;
    size_t n;
} text_t;

/* The cell of a field, stripped as str.strip() strips printable ASCII: of spaces. */
static text_t field(const fr_t *s, const record_t *r, int f) {
    text_t t = {(const unsigned char *)"", 0};
    int position = s->positions[f];
    if (position < 0) return t;
    t.p = s->scratch + r->cells[position].start;
    t.n = r->cells[position].len;
    while (t.n && t.p[0] == ' ') t.p++, t.n--;
    while (t.n && t.p[t.n - 1] == ' ') t.n--;
    return t;
}

static int is_digit(unsigned c) { return c >= '0' && c <= '9'; }
static int is_alpha(unsigned c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
static int is_alnum(unsigned c) { return is_digit(c) || is_alpha(c); }
static unsigned lower(unsigned c) { return (c >= 'A' && c <= 'Z') ? c + 32 : c; }
static unsigned upper(unsigned c) { return (c >= 'a' && c <= 'z') ? c - 32 : c; }

static int all_digits(const unsigned char *p, size_t n) {
    for (size_t i = 0; i < n; i++)
        if (!is_digit(p[i])) return 0;
    return 1;
}

/* _EMAIL_DOMAIN on ASCII: labels of letters, digits, "-" and "_" that begin and end with a
   letter or digit, at most 63 long, then a top-level label of 2 to 63 letters. */
static int plain_domain(const unsigned char *p, size_t n) {
    size_t start = 0;
    int labels = 0;
    for (size_t i = 0; i <= n; i++) {
        if (i < n && p[i] != '.') continue;
        size_t len = i - start;
        const unsigned char *label = p + start;
        if (len == 0 || len > 63) return 0;
        if (i == n) {
            if (len < 2 || labels == 0) return 0;
            for (size_t j = 0; j < len; j++)
                if (!is_alpha(label[j])) return 0;
        } else {
            if (!is_alnum(label[0]) || !is_alnum(label[len - 1])) return 0;
            for (size_t j = 1; j + 1 < len; j++)
                if (!is_alnum(label[j]) && label[j] != '-' && label[j] != '_') return 0;
        }
        labels++;
        start = i + 1;
    }
    return 1;
}

static int plain_email(const fr_t *s, text_t e) {
    if (e.n > s->limits[L_EMAIL]) return 0;
    size_t at = e.n;
    while (at && e.p[at - 1] != '@') at--;
    if (at < 2) return 0; /* no "@", or nothing before it */
    for (size_t i = 0; i + 1 < at; i++) {
        unsigned c = e.p[i];
        if (!is_alnum(c) && c != '.' && c != '_' && c != '+' && c != '-') return 0;
    }
    return plain_domain(e.p + at, e.n - at);
}

/* The amount as holders.amounts reads "1000", "1,000.50", "$250.5": the text str(Decimal)
   gives it (into out, at most 24 bytes), its value in cents and its decimals. 0 if not plain. */
static int plain_amount(text_t a, char *out, size_t *out_n, int64_t *cents, int *scale) {
    const unsigned char *p = a.p, *end = a.p + a.n;
    if (end - p >= 3 && p[0] == 'U' && p[1] == 'S' && p[2] == '$')
        p += 3;
    else if (p < end && p[0] == '$')
        p++;
    while (p < end && *p == ' ') p++;
    const unsigned char *whole = p;
    while (p < end && (is_digit(*p) || *p == ',')) p++;
    size_t whole_n = (size_t)(p - whole);
    const unsigned char *fraction = NULL;
    size_t fraction_n = 0;
    if (p < end && *p == '.') {
        fraction = ++p;
        while (p < end && is_digit(*p)) p++;
        fraction_n = (size_t)(p - fraction);
    }
    if (p != end || (whole_n == 0 && fraction_n == 0)) return 0;
    /* Thousands commas: 1 to 3 digits, then groups of exactly 3. */
    if (memchr(whole, ',', whole_n)) {
        size_t group = 0, first = 1;
        for (size_t i = 0; i < whole_n; i++) {
            if (whole[i] == ',') {
                if ((first && (group < 1 || group > 3)) || (!first && group != 3)) return 0;
                first = 0;
                group = 0;
            } else {
                group++;
            }
        }
        if (group != 3) return 0;
    }
    /* Decimals beyond two must be zeros, and are dropped. */
    for (size_t i = 2; i < fraction_n; i++)
        if (fraction[i] != '0') return 0;
    if (fraction_n > 2) fraction_n = 2;
    int64_t value = 0;
    size_t digits = 0, o = 0;
    for (size_t i = 0; i < whole_n; i++) {
        if (whole[i] == ',') continue;
        if (digits == 0 && whole[i] == '0') continue; /* leading zeros */
        if (++digits > 16) return 0;                  /* 10**16 or more: the reference refuses */
        value = value * 10 + (whole[i] - '0');
        out[o++] = (char)whole[i];
    }
    if (digits == 0) out[o++] = '0';
    int64_t fraction_value = 0;
    if (fraction_n) {
        out[o++] = '.';
        for (size_t i = 0; i < fraction_n; i++) {
            out[o++] = (char)fraction[i];
            fraction_value = fraction_value * 10 + (fraction[i] - '0');
        }
    }
    if (fraction_n == 1) fraction_value *= 10;
    *cents = value * 100 + fraction_value;
    if (*cents == 0) return 0;
    *out_n = o;
    *scale = (int)fraction_n;
    return 1;
}

/* A yes/no flag: 1 or 0, or -1 if not one of the reference's words. */
static int flag(const fr_t *s, text_t t) {
    if (t.n > MAX_FLAG_WORD) return -1;
    for (int k = 0; k < s->flag_count; k++) {
        if (s->flag_lengths[k] != t.n) continue;
        size_t i = 0;
        while (i < t.n && lower(t.p[i]) == (unsigned char)s->flag_words[k][i]) i++;
        if (i == t.n) return s->flag_values[k];
    }
    return -1;
}

static size_t put(char *out, size_t o, const void *p, size_t n) {
    memcpy(out + o, p, n);
    return o + n;
}

/* A value in COPY's text format: a backslash is doubled (the row has no control characters). */
static size_t put_escaped(char *out, size_t o, text_t t) {
    if (!memchr(t.p, '\\', t.n)) return put(out, o, t.p, t.n);
    for (size_t i = 0; i < t.n; i++) {
        if (t.p[i] == '\\') out[o++] = '\\';
        out[o++] = (char)t.p[i];
    }
    return o;
}

enum { ROW_WRITTEN, ROW_FALLBACK, ROW_DOUBT };

static int fast_row(fr_t *s, const record_t *r, char *out, size_t *o_io) {
    text_t name = field(s, r, F_NAME), address_1 = field(s, r, F_ADDRESS_1);
    text_t address_2 = field(s, r, F_ADDRESS_2), address_3 = field(s, r, F_ADDRESS_3);
    text_t city = field(s, r, F_CITY), state = field(s, r, F_STATE);
    text_t postal = field(s, r, F_POSTAL), country = field(s, r, F_COUNTRY);
    text_t email = field(s, r, F_EMAIL), amount = field(s, r, F_AMOUNT);
    if (!name.n || name.n > s->limits[L_NAME] || !address_1.n || !city.n ||
        city.n > s->limits[L_CITY])
        return ROW_FALLBACK;

    char country_code[2] = {'U', 'S'};
    if (country.n && !(country.n == 2 && country.p[0] == 'U' && country.p[1] == 'S')) {
        if (country.n != 2) return ROW_FALLBACK;
        unsigned c0 = upper(country.p[0]), c1 = upper(country.p[1]);
        if (c0 >= 128 || c1 >= 128 || !s->countries[c0 * 128 + c1]) return ROW_FALLBACK;
        country_code[0] = (char)c0;
        country_code[1] = (char)c1;
    }
    int us = country_code[0] == 'U' && country_code[1] == 'S';
    char state_code[2], zip[10];
    text_t state_out = state, postal_out = postal;
    if (us) {
        if (state.n != 2) return ROW_FALLBACK;
        uint16_t code = s->states[state.p[0] * 128 + state.p[1]];
        if (!code) return ROW_FALLBACK;
        state_code[0] = (char)(code >> 8);
        state_code[1] = (char)(code & 0xff);
        state_out.p = (const unsigned char *)state_code;
        if (postal.n == 5 && all_digits(postal.p, 5)) {
            /* as written */
        } else if ((postal.n == 10 && all_digits(postal.p, 5) &&
                    (postal.p[5] == '-' || postal.p[5] == ' ') && all_digits(postal.p + 6, 4)) ||
                   (postal.n == 9 && all_digits(postal.p, 9))) {
            memcpy(zip, postal.p, 5);
            zip[5] = '-';
            memcpy(zip + 6, postal.p + postal.n - 4, 4);
            postal_out.p = (const unsigned char *)zip;
            postal_out.n = 10;
        } else {
            return ROW_FALLBACK;
        }
    } else if (state.n > s->limits[L_STATE] || postal.n > s->limits[L_POSTAL]) {
        return ROW_FALLBACK;
    }

    if (email.n && !plain_email(s, email)) return ROW_FALLBACK;
    char amount_text[32];
    size_t amount_n;
    int64_t cents;
    int scale;
    if (!plain_amount(amount, amount_text, &amount_n, &cents, &scale)) return ROW_FALLBACK;
    int guarantor = 0, trustee = 0;
    if (s->positions[F_GUARANTOR] >= 0 && (guarantor = flag(s, field(s, r, F_GUARANTOR))) < 0)
        return ROW_FALLBACK;
    if (s->positions[F_TRUSTEE] >= 0 && (trustee = flag(s, field(s, r, F_TRUSTEE))) < 0)
        return ROW_FALLBACK;

    /* The duplicate key: name, first address line and ZIP, lower case, runs of spaces as one
       (holders.validation.holder_key). */
    size_t key_n = 0, need = name.n + address_1.n + postal_out.n + 2;
    if (need > s->key_size) {
        unsigned char *grown = realloc(s->key, need);
        if (!grown) {
            s->doubt = "out of memory";
            return ROW_DOUBT;
        }
        s->key = grown;
        s->key_size = need;
    }
    const text_t parts[3] = {name, address_1, postal_out};
    for (int k = 0; k < 3; k++) {
        if (k) s->key[key_n++] = 0x1f;
        for (size_t i = 0; i < parts[k].n; i++) {
            unsigned c = lower(parts[k].p[i]);
            if (c == ' ' && key_n && s->key[key_n - 1] == ' ') continue;
            s->key[key_n++] = (unsigned char)c;
        }
    }
    int fresh = remember(s, s->key, key_n);
    if (fresh <= 0) {
        s->doubt = fresh < 0 ? "out of memory" : "a holder key seen twice";
        return ROW_DOUBT;
    }

    char number[24];
    int digits = 0;
    int64_t row = s->record_no;
    do {
        number[sizeof number - 1 - digits++] = (char)('0' + row % 10);
        row /= 10;
    } while (row);

    size_t o = *o_io;
    o = put(out, o, s->prefix, s->prefix_len);
    o = put(out, o, number + sizeof number - digits, (size_t)digits);
    out[o++] = '\t';
    o = put_escaped(out, o, name);
    out[o++] = '\t';
    o = put_escaped(out, o, address_1);
    if (address_2.n) {
        o = put(out, o, "\\n", 2);
        o = put_escaped(out, o, address_2);
    }
    if (address_3.n) {
        o = put(out, o, "\\n", 2);
        o = put_escaped(out, o, address_3);
    }
    out[o++] = '\t';
    o = put_escaped(out, o, city);
    out[o++] = '\t';
    o = put_escaped(out, o, state_out);
    out[o++] = '\t';
    o = put_escaped(out, o, postal_out);
    out[o++] = '\t';
    o = put(out, o, country_code, 2);
    out[o++] = '\t';
    o = put_escaped(out, o, email);
    out[o++] = '\t';
    o = put(out, o, amount_text, amount_n);
    o = put(out, o, guarantor ? "\tt" : "\tf", 2);
    o = put(out, o, trustee ? "\tt\n" : "\tf\n", 3);
    *o_io = o;

    s->count++;
    s->total_cents += (unsigned __int128)cents;
    if (scale > s->max_scale) s->max_scale = scale;
    if (guarantor || trustee) {
        s->excluded_cents += (unsigned __int128)cents;
        if (scale > s->excluded_scale) s->excluded_scale = scale;
    }
    return ROW_WRITTEN;
}

/* -- a block of the file --------------------------------------------------------------------- */

/* Read the complete records of buf[0:len] (all of it if `final`): plainly valid rows are
 * written to out as COPY text, every other non-blank record (the header first) is listed in
 * fallback as (start, end, record number) triples for the reference. Stops early with
 * SCAN_MORE when out or fallback is full; *consumed says where the next call starts. */
int fr_scan(fr_t *s, const char *data, size_t len, int final, char *out, size_t out_cap,
            size_t *out_len, int64_t *fallback, size_t fallback_cap, size_t *fallback_n,
            size_t *consumed) {
    const unsigned char *b = (const unsigned char *)data;
    size_t pos = 0, o = 0, n_fallback = 0;
    int rc = SCAN_DONE;
    record_t r;
    if (s->scratch_size < len + 1) {
        unsigned char *grown = realloc(s->scratch, len + 1);
        if (!grown) {
            s->doubt = "out of memory";
            return SCAN_DOUBT;
        }
        s->scratch = grown;
        s->scratch_size = len + 1;
    }
    while (pos < len) {
        int parsed = parse_record(s, b, len, pos, final, &r);
        if (parsed == R_INCOMPLETE) break;
        if (parsed == R_DOUBT) {
            rc = SCAN_DOUBT;
            break;
        }
        /* The most a row can write: its text twice over (escapes), the prefix, the row number,
           the address lines' separators, the flags. */
        size_t most = s->prefix_len + 2 * (r.end - pos) + 64;
        if (o + most > out_cap || n_fallback == fallback_cap) {
            rc = SCAN_MORE;
            break;
        }
        s->record_no++;
        if (!r.nonblank) {
            /* A row with nothing in it: skipped, as holders.reading skips it. */
            pos = r.end;
            continue;
        }
        int handled = 0;
        if (s->header_done && !r.high && !r.control && !r.too_many && r.n == s->width) {
            int row = fast_row(s, &r, out, &o);
            if (row == ROW_DOUBT) {
                rc = SCAN_DOUBT;
                break;
            }
            handled = row == ROW_WRITTEN;
        }
        if (!handled) {
            s->header_done = 1;
            fallback[3 * n_fallback] = (int64_t)pos;
            fallback[3 * n_fallback + 1] = (int64_t)r.end;
            fallback[3 * n_fallback + 2] = s->record_no;
            n_fallback++;
        }
        pos = r.end;
    }
    *out_len = o;
    *fallback_n = n_fallback;
    *consumed = pos;
    return rc;
}
