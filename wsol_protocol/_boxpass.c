/*
 * The protocol's box search at every threshold of a score map in one pass.
 *
 * For each threshold t the protocol quantises the map (``u8 = map * 255``,
 * truncated), keeps the mask ``u8 > int(t * max(u8))`` and asks
 * cv2.findContours for its contours. Here the pixels are grouped by band
 * (band b: the values in (levels[b - 1], levels[b]]) and every level's
 * regions come out of one union-find pass instead:
 *
 * Foreground (8-connected, as cv2.findContours follows it): the bands are
 * added from the highest down; every component keeps its bounding box,
 * the raster index of its first pixel, and two sums over the 2x2 cells of
 * pixel centres it owns (every set corner of a cell belongs to one
 * component, since the four are mutually 8-adjacent):
 *   - twice the area of the polygon through its border pixel centres,
 *     cells with 3 set corners counting 1 and with 4 counting 2: equal to
 *     cv2.contourArea of its outer contour when it has no hole;
 *   - 4 x its Euler number (Gray's 8-connectivity cell weights), which
 *     tells whether it has a hole.
 * Background (4-connected): the bands are added from the lowest up; a
 * component not joined to the image border is a hole, whose contour's
 * bounding rectangle is the hole's box grown by one pixel on each side.
 * Where a region with a hole might hold the largest contour, its outer
 * border is followed as OpenCV does, for the exact area.
 *
 * Both passes take the pixels of a band in raster order, so the neighbours
 * already set when a pixel joins follow from the bands alone: they are
 * computed for all pixels at once (``neighbour_masks``, a stencil the
 * compiler vectorises), and a row run of a band joins as one piece, its
 * first pixel looked up, the rest following it.
 *
 * The map's validation, quantisation and levels happen here too: at
 * ~0.5 ms a map, the numpy calls around a pass would be a fifth of it.
 * Where the CPU has AVX-512 VBMI the rows are banded 64 pixels at a time
 * (``band_row_vbmi``); ``vbmi(False)`` falls back to the portable code.
 *
 * A level's holes are searched only where they could hold its best box:
 * a hole's contour lies inside its region's box, so its IoU with a GT box
 * is at most the share of that GT box the region's box covers.
 *
 * The Python side (``wsol_protocol.metrics.box_best_ious_both``) calls
 * ``best_ious``; the conventions (box clipping, +1 IoU, ties) are
 * explained there.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* The loops over every pixel that the compiler vectorises get AVX-512
 * (x86-64-v4) and AVX2 clones besides the baseline one, picked at load
 * time (the quantisation's range check needs AVX2 at least: SSE2 has no
 * 64-bit compares to reduce); the pick is an ifunc, which glibc
 * provides. */
#if defined(__GNUC__) && defined(__x86_64__) && defined(__GLIBC__) && \
    defined(__has_attribute)
#if __has_attribute(target_clones)
/* ``arch=x86-64-v4`` needs GCC 12 / clang 18. */
#if (defined(__clang__) && __clang_major__ >= 18) || \
    (!defined(__clang__) && __GNUC__ >= 12)
#define VECTOR_CLONES \
    __attribute__((target_clones("arch=x86-64-v4", "avx2", "default")))
#else
#define VECTOR_CLONES __attribute__((target_clones("avx2", "default")))
#endif
#endif
#endif
#ifndef VECTOR_CLONES
#define VECTOR_CLONES
#endif

/* A hand-written AVX-512 VBMI banding, chosen at load time where the CPU
 * has it. */
#if defined(__GNUC__) && defined(__x86_64__) && defined(__has_attribute)
#if __has_attribute(target) && (__GNUC__ >= 8 || defined(__clang__))
#define HAVE_VBMI_PATH 1
#include <immintrin.h>
#endif
#endif

/* Whether band_row_vbmi runs (set at load time where the CPU has it). */
static int use_vbmi = 0;

static int vbmi_supported(void) {
#ifdef HAVE_VBMI_PATH
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx512f") &&
           __builtin_cpu_supports("avx512bw") &&
           __builtin_cpu_supports("avx512vbmi") &&
           __builtin_cpu_supports("popcnt");
#else
    return 0;
#endif
}

/* A region's record, kept at its union-find root. */
typedef struct {
    int32_t x0, y0, x1, y1;  /* box (unpadded coordinates) */
    int32_t first;           /* padded raster index of its first pixel */
    int32_t size;
    int32_t area2;           /* twice the polygon area of its cells */
    int32_t euler4;          /* 4 x its Euler number */
    int32_t pos;             /* index in the live list, -1 if not there */
    int32_t outside;         /* joined to the image border (background) */
} Region;

/* The workspace of one map; arrays per padded pixel but ``order``. */
typedef struct {
    int32_t *parent;  /* meaningful once added (never cleared) */
    Region *region;   /* valid at roots */
    int32_t *live;    /* roots of the regions reported at a level */
    int32_t *run_at;  /* the row runs of one band by band, y << 16 | x */
    int32_t *run_len;
    int32_t *row_at;  /* ... in raster order */
    int32_t *row_len;
    uint8_t *row_band;  /* ... and their bands */
    uint8_t *band;    /* band of each pixel, 0 on the padding */
    uint8_t *fg_nb;   /* set neighbours when joining the foreground */
    uint8_t *bg_nb;   /* ... the background */
    Py_ssize_t capacity;
    int32_t num_live;
} Forest;

static void forest_free(Forest *f) {
    free(f->parent);
    free(f->region);
    free(f->live);
    free(f->run_at);
    free(f->run_len);
    free(f->row_at);
    free(f->row_len);
    free(f->row_band);
    free(f->band);
    free(f->fg_nb);
    free(f->bg_nb);
    free(f);
}

/* One workspace is kept between calls (taken and given back under the
 * GIL): fresh megabytes every call would cost more in page faults than the
 * pass itself on a 224 x 224 map. */
static Forest *spare = NULL;

static Forest *forest_take(Py_ssize_t n) {
    Forest *f = spare;
    spare = NULL;
    if (f && f->capacity >= n) return f;
    if (f) forest_free(f);
    f = calloc(1, sizeof(Forest));
    if (!f) return NULL;
    f->parent = malloc(n * sizeof(int32_t));
    f->region = malloc(n * sizeof(Region));
    f->live = malloc(n * sizeof(int32_t));
    f->run_at = malloc(n * sizeof(int32_t));
    f->run_len = malloc(n * sizeof(int32_t));
    f->row_at = malloc((n + 16) * sizeof(int32_t));  /* see band_row */
    f->row_len = malloc(n * sizeof(int32_t));
    f->row_band = malloc(n);
    f->band = malloc(n + 16);  /* band_row reads 8 bytes at a time */
    f->fg_nb = malloc(n);
    f->bg_nb = malloc(n);
    f->capacity = n;
    if (!f->parent || !f->region || !f->live || !f->run_at || !f->run_len ||
        !f->row_at || !f->row_len || !f->row_band || !f->band || !f->fg_nb ||
        !f->bg_nb) {
        forest_free(f);
        return NULL;
    }
    return f;
}

static void forest_give_back(Forest *f) {
    if (spare) forest_free(spare);
    spare = f;
}

static inline int32_t find(int32_t *parent, int32_t a) {
    /* Two hops without a branch (trees here are almost always that
     * shallow), then path halving. */
    int32_t r = parent[parent[a]];
    while (parent[r] != r) r = parent[parent[r]];
    parent[a] = r;
    return r;
}

static inline void live_add(Forest *f, int32_t r) {
    f->region[r].pos = f->num_live;
    f->live[f->num_live++] = r;
}

static inline void live_remove(Forest *f, int32_t r) {
    int32_t i = f->region[r].pos;
    if (i < 0) return;
    int32_t last = f->live[--f->num_live];
    f->live[i] = last;
    f->region[last].pos = i;
    f->region[r].pos = -1;
}

static inline void new_region(Forest *f, int32_t p, int32_t x, int32_t y,
                              int32_t outside) {
    Region *a = &f->region[p];
    f->parent[p] = p;
    a->x0 = a->x1 = x;
    a->y0 = a->y1 = y;
    a->first = p;
    a->size = outside;  /* a run's pixels are counted at its end */
    a->area2 = a->euler4 = 0;
    a->pos = -1;
    a->outside = outside;
    if (!outside) live_add(f, p);
}

/* Merge the regions rooted at a and b (a != b); returns the new root. */
static int32_t merge(Forest *f, int32_t a, int32_t b) {
    if (f->region[a].size < f->region[b].size) {
        int32_t t = a;
        a = b;
        b = t;
    }
    Region *ra = &f->region[a], *rb = &f->region[b];
    f->parent[b] = a;
    ra->size += rb->size;
    if (rb->x0 < ra->x0) ra->x0 = rb->x0;
    if (rb->y0 < ra->y0) ra->y0 = rb->y0;
    if (rb->x1 > ra->x1) ra->x1 = rb->x1;
    if (rb->y1 > ra->y1) ra->y1 = rb->y1;
    if (rb->first < ra->first) ra->first = rb->first;
    ra->area2 += rb->area2;
    ra->euler4 += rb->euler4;
    live_remove(f, b);
    if (rb->outside && !ra->outside) {
        ra->outside = 1;
        live_remove(f, a);
    }
    return a;
}

/* The +1 (pixel-inclusive) area of box t, and of its intersection with
 * box b (0 when they do not meet). */
static inline int64_t box_area(const int64_t *t) {
    return (t[2] - t[0] + 1) * (t[3] - t[1] + 1);
}

static inline int64_t box_inter(int64_t bx0, int64_t by0, int64_t bx1,
                                int64_t by1, const int64_t *t) {
    int64_t iw = (bx1 < t[2] ? bx1 : t[2]) - (bx0 > t[0] ? bx0 : t[0]) + 1;
    int64_t ih = (by1 < t[3] ? by1 : t[3]) - (by0 > t[1] ? by0 : t[1]) + 1;
    return (iw < 0 ? 0 : iw) * (ih < 0 ? 0 : ih);
}

/* Best +1-IoU of one box with the GT boxes (0 for a non-positive union):
 * exact integers divided once, as the reference's float64 arithmetic. */
static inline double best_iou(int64_t bx0, int64_t by0, int64_t bx1,
                              int64_t by1, const int64_t *gt, Py_ssize_t g) {
    double best = 0.0;
    const int64_t area_b = (bx1 - bx0 + 1) * (by1 - by0 + 1);
    for (Py_ssize_t i = 0; i < g; i++) {
        const int64_t *t = gt + 4 * i;
        const int64_t inter = box_inter(bx0, by0, bx1, by1, t);
        const int64_t uni = area_b + box_area(t) - inter;
        const double iou = uni > 0 ? (double)inter / (double)uni : 0.0;
        if (iou > best) best = iou;
    }
    return best;
}

/* The largest share of a GT box that a box covers: a bound on the IoU of
 * every box inside it (|b & t| / |b | t| <= |b & t| / |t|; the rounded
 * quotients keep the order). */
static inline double best_cover(int64_t bx0, int64_t by0, int64_t bx1,
                                int64_t by1, const int64_t *gt,
                                Py_ssize_t g) {
    double best = 0.0;
    for (Py_ssize_t i = 0; i < g; i++) {
        const int64_t *t = gt + 4 * i;
        const double cover = (double)box_inter(bx0, by0, bx1, by1, t) /
                             (double)box_area(t);
        if (cover > best) best = cover;
    }
    return best;
}

/* Cell weights of a 2x2 pattern (bits: 1 TL, 2 TR, 4 BL, 8 BR). */
static int area2_of(int m) {
    int n = (m & 1) + ((m >> 1) & 1) + ((m >> 2) & 1) + ((m >> 3) & 1);
    return n == 4 ? 2 : (n == 3 ? 1 : 0);
}

static int euler4_of(int m) {
    int n = (m & 1) + ((m >> 1) & 1) + ((m >> 2) & 1) + ((m >> 3) & 1);
    return n == 1 ? 1 : (n == 3 ? -1 : ((m == 9 || m == 6) ? -2 : 0));
}

/* The neighbours (bit i: NB_DX/DY[i]); 0-3 come before a pixel in raster
 * order, 4-7 after it. */
static const int NB_DX[8] = {-1, 0, 1, -1, 1, -1, 0, 1};
static const int NB_DY[8] = {-1, -1, -1, 0, 0, 1, 1, 1};

/* A pixel's step inside a row run, by its set neighbours: what adding it
 * changes in the four cells it is a corner of (the area sum in bits 0-19,
 * 2^40 x the Euler sum above; the foreground's only) and, bit 20, whether
 * it has neighbours to look up besides the west one (``MORE``). A run
 * adds the steps of its pixels in one sum (at most 65535 pixels of at
 * most 8 each: the fields do not overflow), which ``cell_area2`` /
 * ``cell_euler4`` take apart. */
#define MORE ((int64_t)1 << 20)
static int64_t fg_step[256], bg_step[256];

static inline int32_t cell_area2(int64_t sum) {
    return (int32_t)(sum & (MORE - 1));
}

static inline int32_t cell_euler4(int64_t sum) {
    return (int32_t)(sum >> 40);  /* the lower fields are >= 0 */
}

/* The set neighbours that are already joined among themselves need one
 * union between them: per neighbourhood, one representative neighbour of
 * each group of set neighbours connected within it (8-connectivity for the
 * foreground; 4-connectivity through the neighbourhood, among the four
 * edge neighbours, for the background). The west neighbour comes first
 * when set: in a row run it is the pixel just added, whose root is known. */
static uint8_t fg_reps[256][4], fg_num_reps[256];
static uint8_t bg_reps[256][4], bg_num_reps[256];

static int group_root(int *g, int a) {
    while (g[a] != a) a = g[a];
    return a;
}

static void representatives(int nb, int eight, uint8_t *reps, uint8_t *num) {
    static const int west_first[8] = {3, 0, 1, 2, 4, 5, 6, 7};
    int g[8];
    for (int i = 0; i < 8; i++) g[i] = i;
    for (int i = 0; i < 8; i++)
        for (int j = 0; j < 8; j++) {
            if (i == j || !(nb >> i & 1) || !(nb >> j & 1)) continue;
            int dx = abs(NB_DX[i] - NB_DX[j]), dy = abs(NB_DY[i] - NB_DY[j]);
            if (eight ? (dx <= 1 && dy <= 1) : (dx + dy == 1))
                g[group_root(g, i)] = group_root(g, j);
        }
    *num = 0;
    for (int j = 0; j < 8; j++) {
        const int i = west_first[j];
        int edge = NB_DX[i] == 0 || NB_DY[i] == 0;
        if (!(nb >> i & 1) || (!eight && !edge)) continue;
        int seen = 0;
        for (int k = 0; k < *num; k++)
            if (group_root(g, reps[k]) == group_root(g, i)) seen = 1;
        if (!seen) reps[(*num)++] = (uint8_t)i;
    }
}

static void init_tables(void) {
    for (int nb = 0; nb < 256; nb++) {
        representatives(nb, 1, fg_reps[nb], &fg_num_reps[nb]);
        representatives(nb, 0, bg_reps[nb], &bg_num_reps[nb]);
        int set[3][3] = {{0}};
        for (int i = 0; i < 8; i++)
            set[NB_DY[i] + 1][NB_DX[i] + 1] = (nb >> i) & 1;
        int da = 0, de = 0;
        for (int cy = 0; cy <= 1; cy++)      /* cell's top-left in the 3x3 */
            for (int cx = 0; cx <= 1; cx++) {
                int m = set[cy][cx] | set[cy][cx + 1] << 1 |
                        set[cy + 1][cx] << 2 | set[cy + 1][cx + 1] << 3;
                int bit = 1 << ((1 - cy) * 2 + (1 - cx));  /* the centre */
                da += area2_of(m | bit) - area2_of(m);
                de += euler4_of(m | bit) - euler4_of(m);
            }
        fg_step[nb] = da + de * ((int64_t)1 << 40) +
                      (fg_num_reps[nb] > 1 ? MORE : 0);
        bg_step[nb] = bg_num_reps[nb] > 1 ? MORE : 0;
    }
}

/* Per pixel, its neighbours already set when it joins: the foreground
 * takes the bands from the highest down, the background from the lowest
 * up, each band in raster order. So a neighbour before the pixel in
 * raster order is set when its band is the same or further along, one
 * after it only when its band is further along. ``band`` is 0 on the
 * padding, which the foreground never holds (its pixels have band >= 1);
 * the background always holds it, which ``border_bits`` completes. */
VECTOR_CLONES
static void neighbour_masks(const uint8_t *band, int32_t h, int32_t w,
                            uint8_t *restrict fg, uint8_t *restrict bg) {
    const int32_t pw = w + 2;
    for (int32_t y = 1; y <= h; y++) {
        const uint8_t *restrict a = band + (y - 1) * pw;
        const uint8_t *restrict c = band + y * pw;
        const uint8_t *restrict b = band + (y + 1) * pw;
        if (fg) {
            uint8_t *restrict f = fg + y * pw;
            for (int32_t x = 1; x <= w; x++) {
                const uint8_t v = c[x];
                f[x] = (uint8_t)((a[x - 1] >= v) | (a[x] >= v) << 1 |
                                 (a[x + 1] >= v) << 2 | (c[x - 1] >= v) << 3 |
                                 (c[x + 1] > v) << 4 | (b[x - 1] > v) << 5 |
                                 (b[x] > v) << 6 | (b[x + 1] > v) << 7);
            }
        }
        if (!bg) continue;
        uint8_t *restrict k = bg + y * pw;
        for (int32_t x = 1; x <= w; x++) {
            const uint8_t v = c[x];
            k[x] = (uint8_t)((a[x - 1] <= v) | (a[x] <= v) << 1 |
                             (a[x + 1] <= v) << 2 | (c[x - 1] <= v) << 3 |
                             (c[x + 1] < v) << 4 | (b[x - 1] < v) << 5 |
                             (b[x] < v) << 6 | (b[x + 1] < v) << 7);
        }
    }
}

/* The neighbours of image pixel (x, y) that lie outside the image. */
static inline uint8_t border_bits(int32_t x, int32_t y, int32_t h,
                                  int32_t w) {
    uint8_t bits = 0;
    for (int i = 0; i < 8; i++) {
        int32_t nx = x + NB_DX[i], ny = y + NB_DY[i];
        if (nx < 0 || ny < 0 || nx >= w || ny >= h) bits |= 1 << i;
    }
    return bits;
}


/* How a pass joins pixels: per neighbourhood (the set neighbours' bits),
 * the representatives to look up, their number, and the step. */
typedef struct {
    const uint8_t (*reps)[4];
    const uint8_t *num_reps;
    const int64_t *step;
} Joining;

static const Joining FG_JOINING = {fg_reps, fg_num_reps, fg_step};
static const Joining BG_JOINING = {bg_reps, bg_num_reps, bg_step};

/* Join the regions of pixel p's representatives after the first (the
 * first, the west neighbour when it is set, gave r) to the region rooted
 * at r; returns the root. */
static inline int32_t join_others(Forest *f, int32_t p, int32_t r, int nb,
                                  const Joining *J, const int32_t *off) {
    const uint8_t *rp = J->reps[nb];
    for (int k = 1; k < J->num_reps[nb]; k++) {
        const int32_t q = p + off[rp[k]];
        if (f->parent[q] == r) continue;
        const int32_t rq = find(f->parent, q);
        if (rq != r) r = merge(f, r, rq);
    }
    return r;
}

/* Add pixel p (neighbourhood nb), joined to the regions of its set
 * neighbours; returns its root. */
static inline int32_t add_pixel(Forest *f, int32_t p, int32_t x, int32_t y,
                                int nb, const Joining *J, const int32_t *off) {
    if (J->num_reps[nb] == 0) {
        new_region(f, p, x, y, 0);
        return p;
    }
    const int32_t r0 = find(f->parent, p + off[J->reps[nb][0]]);
    const int32_t r = join_others(f, p, r0, nb, J, off);
    f->parent[p] = r;
    return r;
}

/* Add the row runs [from, to) of one band (raster order), whose pixels'
 * set neighbours are ``nbs[p]``. A run is one region: after its first
 * pixel the rest join the run's root directly (the west neighbour, the
 * first representative, is the pixel before), their box, size and cell
 * sums added once at the run's end; only their other neighbours, rare on
 * a row inside a run, are looked up. */
static inline void add_runs(Forest *f, Py_ssize_t from, Py_ssize_t to,
                            int32_t pw, const uint8_t *nbs, const Joining *J,
                            const int32_t *off) {
    int32_t *parent = f->parent;
    const int64_t *step = J->step;
    for (Py_ssize_t i = from; i < to; i++) {
        const int32_t o = f->run_at[i], x = o & 0xffff, y = o >> 16;
        const int32_t len = f->run_len[i];
        const int32_t first = (y + 1) * pw + x + 1, end = first + len;
        int nb = nbs[first];
        int32_t r = add_pixel(f, first, x, y, nb, J, off);
        int64_t sum = step[nb];
        for (int32_t p = first + 1; p < end; p++) {
            nb = nbs[p];
            parent[p] = r;
            const int64_t e = step[nb];
            sum += e;
            if (e & MORE) r = join_others(f, p, r, nb, J, off);
        }
        /* The run's pixels, box and cells, in one update of the record. */
        Region *a = &f->region[r];
        const int32_t x1 = x + len - 1;
        a->size += len;
        a->x0 = x < a->x0 ? x : a->x0;
        a->x1 = x1 > a->x1 ? x1 : a->x1;
        a->y0 = y < a->y0 ? y : a->y0;
        a->y1 = y > a->y1 ? y : a->y1;
        a->first = first < a->first ? first : a->first;
        a->area2 += cell_area2(sum);  /* 0 with the background's steps */
        a->euler4 += cell_euler4(sum);
    }
}

/* The lengths and bands of a row's runs [first, num) once their starts are
 * in ``at`` (the row's bands in ``row``), counted by band in ``count``;
 * returns num. */
static inline Py_ssize_t row_runs_done(const uint8_t *row, int32_t w,
                                       const int32_t *at, int32_t *len,
                                       uint8_t *bands, Py_ssize_t *count,
                                       Py_ssize_t first, Py_ssize_t num) {
    for (Py_ssize_t i = first; i < num; i++) {
        const int32_t x0 = at[i] & 0xffff;
        len[i] = (i + 1 < num ? at[i + 1] & 0xffff : w) - x0;
        count[bands[i] = row[x0]]++;
    }
    return num;
}

/* Band one row of the quantised image in place (``row``: its first pixel;
 * ``band_of``: a u8 value's band) and append its row runs of equal band to
 * at / len / bands from index ``num``, counted by band in ``count``;
 * returns the new number of runs. ``at`` has room for 16 entries beyond
 * the last run. */
static inline Py_ssize_t band_row(uint8_t *row, int32_t y, int32_t w,
                                  const uint8_t *band_of, int32_t *at,
                                  int32_t *len, uint8_t *bands,
                                  Py_ssize_t *count, Py_ssize_t num) {
    const Py_ssize_t first = num;
#if defined(__GNUC__) && defined(__BYTE_ORDER__) && \
    __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    /* Eight pixels at a time: the bytes that differ from their west
     * neighbour (word arithmetic) start a run; every pixel's position is
     * written and the count moves on at the starts, without a branch (the
     * number of starts in a word is what a branch would mispredict). */
    const uint64_t low7 = 0x7f7f7f7f7f7f7f7fULL, high = ~low7;
    uint64_t west_top = 0;  /* the band of the pixel before the word */
    for (int32_t x = 0; x < w; x += 8) {
        uint64_t cur = 0;  /* read past the row's end: masked below */
        for (int k = 0; k < 8; k++)
            cur |= (uint64_t)band_of[row[x + k]] << (8 * k);
        const int32_t n = w - x < 8 ? w - x : 8;
        if (n == 8)
            memcpy(row + x, &cur, 8);
        else
            for (int k = 0; k < n; k++) row[x + k] = (uint8_t)(cur >> (8 * k));
        const uint64_t d = cur ^ (cur << 8 | west_top);
        west_top = cur >> 56;
        uint64_t starts = (((d & low7) + low7) | d) & high;
        if (x == 0) starts |= 0x80;  /* the row's first pixel */
        if (n < 8) starts &= ((uint64_t)1 << (8 * n)) - 1;
        for (int k = 0; k < 8; k++) {
            at[num] = y << 16 | (x + k);
            num += (Py_ssize_t)((starts >> (8 * k + 7)) & 1);
        }
    }
#else
    for (int32_t x = 0; x < w; x++) {
        row[x] = band_of[row[x]];
        if (x == 0 || row[x] != row[x - 1]) at[num++] = y << 16 | x;
    }
#endif
    return row_runs_done(row, w, at, len, bands, count, first, num);
}

#ifdef HAVE_VBMI_PATH
/* band_row with AVX-512 VBMI, 64 pixels a step (the banding was a sixth of
 * a smooth map's pass): the 256-entry band table is two 128-byte
 * permutes, the run starts a byte compare with the row shifted by one
 * pixel, their positions compressed out 16 at a time. Equal to
 * band_row's output; ``at`` needs room for 16 entries beyond the last
 * run. */
__attribute__((target("avx512f,avx512bw,avx512vbmi,popcnt")))
static Py_ssize_t band_row_vbmi(uint8_t *row, int32_t y, int32_t w,
                                const uint8_t *band_of, int32_t *at,
                                int32_t *len, uint8_t *bands,
                                Py_ssize_t *count, Py_ssize_t num) {
    const Py_ssize_t first = num;
    const __m512i t0 = _mm512_loadu_si512(band_of),
                  t1 = _mm512_loadu_si512(band_of + 64),
                  t2 = _mm512_loadu_si512(band_of + 128),
                  t3 = _mm512_loadu_si512(band_of + 192);
    static const uint8_t west_of[64] = {
        0,  0,  1,  2,  3,  4,  5,  6,  7,  8,  9,  10, 11, 12, 13, 14,
        15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30,
        31, 32, 33, 34, 35, 36, 37, 38, 39, 40, 41, 42, 43, 44, 45, 46,
        47, 48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 58, 59, 60, 61, 62};
    const __m512i shift = _mm512_loadu_si512(west_of);
    const __m512i iota = _mm512_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10,
                                           11, 12, 13, 14, 15);
    __m512i west = _mm512_setzero_si512();
    for (int32_t x = 0; x < w; x += 64) {
        const int32_t n = w - x < 64 ? w - x : 64;
        const __mmask64 valid = n == 64 ? ~(__mmask64)0
                                        : (((__mmask64)1 << n) - 1);
        const __m512i v = _mm512_maskz_loadu_epi8(valid, row + x);
        const __m512i lo = _mm512_permutex2var_epi8(t0, v, t1);
        const __m512i hi = _mm512_permutex2var_epi8(t2, v, t3);
        const __m512i b =
            _mm512_mask_blend_epi8(_mm512_movepi8_mask(v), lo, hi);
        _mm512_mask_storeu_epi8(row + x, valid, b);
        /* The previous pixel's band: b shifted by one, the last of the
         * previous step first. */
        const __m512i prev = _mm512_mask_permutexvar_epi8(
            west, ~(__mmask64)1, shift, b);
        __mmask64 starts = _mm512_cmpneq_epi8_mask(b, prev) & valid;
        if (x == 0) starts |= 1;
        west = _mm512_permutexvar_epi8(_mm512_set1_epi8(63), b);
        for (int c = 0; c < 4; c++) {
            const __mmask16 m = (__mmask16)(starts >> (16 * c));
            const __m512i pos = _mm512_add_epi32(
                iota, _mm512_set1_epi32(y << 16 | (x + 16 * c)));
            _mm512_storeu_si512(at + num, _mm512_maskz_compress_epi32(m, pos));
            num += _mm_popcnt_u32(m);
        }
    }
    return row_runs_done(row, w, at, len, bands, count, first, num);
}
#endif

/* Twice cv2.contourArea of the outer contour of the region whose first
 * pixel (in raster order) is p0: its border followed as cv2.findContours
 * does (Suzuki and Abe 1985, 8-connectivity), the shoelace sum taken over
 * the traced pixel centres. set(q): band[q] > above (the mask of level
 * ``above``). dir_off: the steps E, SE, S, SW, W, NW, N, NE (clockwise on
 * screen), DIR_DX/DY their moves. */
static const int DIR_DX[8] = {1, 1, 0, -1, -1, -1, 0, 1};
static const int DIR_DY[8] = {0, 1, 1, 1, 0, -1, -1, -1};

static int64_t outer_area2(const uint8_t *band, int above, int32_t p0,
                           const int32_t *dir_off) {
    /* The first pixel's west neighbour is not set: search clockwise from
     * it. */
    int d = -1;
    for (int k = 0; k < 8; k++)
        if (band[p0 + dir_off[(4 + k) & 7]] > above) {
            d = (4 + k) & 7;
            break;
        }
    if (d < 0) return 0;  /* a lone pixel */
    const int32_t p1 = p0 + dir_off[d];
    int32_t p3 = p0;
    int64_t x3 = 0, y3 = 0;  /* p3 relative to p0 (the sum is shift-free) */
    int back = d;  /* direction from p3 to the previous border pixel */
    int64_t sum = 0;
    for (;;) {
        int e = back;
        for (int k = 1; k <= 8; k++) {  /* counter-clockwise after back */
            e = (back - k) & 7;
            if (band[p3 + dir_off[e]] > above) break;
        }
        const int32_t p4 = p3 + dir_off[e];
        const int64_t x4 = x3 + DIR_DX[e], y4 = y3 + DIR_DY[e];
        sum += x3 * y4 - x4 * y3;
        if (p4 == p0 && p3 == p1) break;
        back = (e + 4) & 7;
        p3 = p4;
        x3 = x4;
        y3 = y4;
    }
    return sum < 0 ? -sum : sum;
}

static inline int64_t clip(int64_t v, int64_t hi) { return v < hi ? v : hi; }

/* Check and quantise the map into the band image's rows (u8 = trunc(v *
 * 255), as the protocol's ``astype(np.uint8)``); returns 1 when a value is
 * outside [0, 1] or NaN, else 0 with max(u8) in ``top`` (= trunc(max(map)
 * * 255), truncation being monotone). */
VECTOR_CLONES
static int quantise(const double *restrict map, int32_t h, int32_t w,
                    uint8_t *restrict band, int *top) {
    const int32_t pw = w + 2;
    int bad = 0;
    uint8_t high = 0;
    for (int32_t y = 0; y < h; y++) {
        const double *restrict src = map + (Py_ssize_t)y * w;
        uint8_t *restrict row = band + (y + 1) * pw + 1;
        for (int32_t x = 0; x < w; x++) {
            const double v = src[x];
            const int ok = (v >= 0.0) & (v <= 1.0);  /* NaN fails both */
            bad |= ok ^ 1;
            row[x] = (uint8_t)(int32_t)((ok ? v : 0.0) * 255.0);
        }
        for (int32_t x = 0; x < w; x++) high = row[x] > high ? row[x] : high;
    }
    *top = high;
    return bad;
}

/* One map's pass (without the GIL). Returns 0, 1 when a value is outside
 * [0, 1] (or NaN), 2 when the thresholds give more than 255 distinct
 * levels. */
typedef struct {
    const double *map;
    int32_t h, w;
    const double *thresholds;  /* in [0, 1) */
    Py_ssize_t num_thr;
    const int64_t *gt;
    Py_ssize_t g;
    double *single, *multi;  /* per threshold, or NULL */
    Forest *forest;          /* a workspace for (h + 2) x (w + 2) + 1 */
} Pass;

static int run_pass(const Pass *P) {
    const int32_t h = P->h, w = P->w, pw = w + 2;
    const Py_ssize_t pn = (Py_ssize_t)(h + 2) * pw;
    const int64_t *gt = P->gt;
    const Py_ssize_t g = P->g;

    /* Validate and quantise (into the band image, banded below once the
     * levels are known). */
    Forest f = *P->forest;
    uint8_t *band = f.band;
    int u8_max;
    if (quantise(P->map, h, w, band, &u8_max)) return 1;

    /* The levels int(t * max(u8)) (in [0, 255] as t < 1): the distinct ones
     * in increasing order, and the index of each. */
    int64_t levels[256];
    int32_t index_of[256];
    Py_ssize_t num_levels = 0;
    for (int v = 0; v < 256; v++) index_of[v] = -1;
    for (Py_ssize_t t = 0; t < P->num_thr; t++)
        index_of[(int)(P->thresholds[t] * (double)u8_max)] = 0;
    for (int v = 0; v < 256; v++)
        if (index_of[v] == 0) {
            index_of[v] = (int32_t)num_levels;
            levels[num_levels++] = v;
        }
    if (num_levels > 255) return 2;  /* bands are bytes */
    f.num_live = 0;
    const int multi = P->multi != NULL, single = P->single != NULL;
    uint8_t *fg_nb = f.fg_nb, *bg_nb = f.bg_nb;

    /* Bands (the number of levels below the value; at most 255 levels) and
     * the row runs, row by row. */
    uint8_t band_of[256];
    {
        int v = 0;
        for (Py_ssize_t b = 0; b < num_levels; b++)
            for (; v <= levels[b]; v++) band_of[v] = (uint8_t)b;
        for (; v < 256; v++) band_of[v] = (uint8_t)num_levels;
    }
    memset(band, 0, pw);
    memset(band + (h + 1) * pw, 0, pw + 16);
    Py_ssize_t num_runs = 0, fill[257] = {0};
    for (int32_t y = 0; y < h; y++) {
        uint8_t *row = band + (y + 1) * pw;
        row[0] = row[w + 1] = 0;
#ifdef HAVE_VBMI_PATH
        if (use_vbmi)
            num_runs = band_row_vbmi(row + 1, y, w, band_of, f.row_at,
                                     f.row_len, f.row_band, fill, num_runs);
        else
#endif
        num_runs = band_row(row + 1, y, w, band_of, f.row_at, f.row_len,
                            f.row_band, fill, num_runs);
    }
    /* The row runs by band (counting sort; raster order inside a band). */
    Py_ssize_t start[258] = {0};
    {
        for (Py_ssize_t b = 0; b <= num_levels; b++)
            start[b + 1] = start[b] + fill[b];
        memcpy(fill, start, sizeof(fill));
        for (Py_ssize_t i = 0; i < num_runs; i++) {
            const Py_ssize_t slot = fill[f.row_band[i]]++;
            f.run_at[slot] = f.row_at[i];
            f.run_len[slot] = f.row_len[i];
        }
    }
    /* ``parent`` needs no clearing: an entry is read only when a neighbour
     * that joins later looks it up, and the masks say which are set (the
     * border is set explicitly; the tracing reads the bands). */
    neighbour_masks(band, h, w, fg_nb, NULL);
    int32_t nb_off[8], dir_off[8];
    for (int i = 0; i < 8; i++) {
        nb_off[i] = NB_DY[i] * pw + NB_DX[i];
        dir_off[i] = DIR_DY[i] * pw + DIR_DX[i];
    }
    /* Per level: best IoU of the foreground regions' boxes (-1: none), of
     * the holes' (-1: none), of the largest contour's box. */
    double fg_best[256], hole_best[256], lead_iou[256];
    const double empty_iou = best_iou(0, 0, 0, 0, gt, g);

    /* Foreground: level k's mask holds the bands above k. */
    /* The highest level whose holes might hold the best box (-1: none). */
    Py_ssize_t last_hole_level = -1;
    for (Py_ssize_t k = num_levels - 1; k >= 0; k--) {
        add_runs(&f, start[k + 1], start[k + 2], pw, fg_nb, &FG_JOINING,
                 nb_off);
        double best = -1.0, hole_cover = -1.0;
        int64_t lower2 = 0;
        for (int32_t i = 0; i < f.num_live; i++) {
            const Region *a = &f.region[f.live[i]];
            if (multi) {
                const int64_t x1 = clip(a->x1 + 1, w - 1);
                const int64_t y1 = clip(a->y1 + 1, h - 1);
                double iou = best_iou(a->x0, a->y0, x1, y1, gt, g);
                if (iou > best) best = iou;
                /* Its holes' contours lie inside its box. */
                if (a->euler4 != 4) {
                    double cover = best_cover(a->x0, a->y0, x1, y1, gt, g);
                    if (cover > hole_cover) hole_cover = cover;
                }
            }
            if (a->area2 > lower2) lower2 = a->area2;
        }
        if (hole_cover > best && k > last_hole_level) last_hole_level = k;
        fg_best[k] = f.num_live ? best : -1.0;
        hole_best[k] = -1.0;
        if (!single) continue;
        /* The largest contour: a region's cell sum is its contour's area
         * when it has no hole, a lower bound otherwise (then the contour
         * is traced, unless its box shows it cannot reach the largest
         * lower bound). On a tie OpenCV lists first the contour that
         * starts later in raster order. */
        int32_t lead = -1;
        int64_t lead_area2 = -1;
        for (int32_t i = 0; i < f.num_live; i++) {
            const int32_t r = f.live[i];
            const Region *a = &f.region[r];
            int64_t area2 = a->area2;
            if (a->euler4 != 4) {
                const int64_t upper2 =
                    2 * (int64_t)(a->x1 - a->x0) * (a->y1 - a->y0);
                if (upper2 < lower2) continue;
                area2 = outer_area2(band, (int)k, a->first, dir_off);
            }
            if (area2 > lead_area2 ||
                (area2 == lead_area2 && a->first > f.region[lead].first)) {
                lead = r;
                lead_area2 = area2;
            }
        }
        if (lead < 0) {
            lead_iou[k] = empty_iou;
        } else {
            const Region *a = &f.region[lead];
            lead_iou[k] = best_iou(a->x0, a->y0, clip(a->x1 + 1, w - 1),
                                   clip(a->y1 + 1, h - 1), gt, g);
        }
    }

    /* Background holes: level k's background holds the bands up to k. */
    if (multi && last_hole_level >= 0) {
        const int32_t out = (int32_t)pn;  /* the image border's node */
        neighbour_masks(band, h, w, NULL, bg_nb);
        for (int32_t x = 0; x < w; x++) {
            bg_nb[pw + x + 1] |= border_bits(x, 0, h, w);
            bg_nb[h * pw + x + 1] |= border_bits(x, h - 1, h, w);
        }
        for (int32_t y = 0; y < h; y++) {
            bg_nb[(y + 1) * pw + 1] |= border_bits(0, y, h, w);
            bg_nb[(y + 1) * pw + w] |= border_bits(w - 1, y, h, w);
        }
        f.num_live = 0;
        new_region(&f, out, 0, 0, 1);
        for (int32_t x = 0; x < pw; x++)
            f.parent[x] = f.parent[(h + 1) * pw + x] = out;
        for (int32_t y = 0; y < h + 2; y++)
            f.parent[y * pw] = f.parent[y * pw + w + 1] = out;
        for (Py_ssize_t k = 0; k <= last_hole_level; k++) {
            add_runs(&f, start[k], start[k + 1], pw, bg_nb, &BG_JOINING,
                     nb_off);
            double best = -1.0;
            for (int32_t i = 0; i < f.num_live; i++) {
                const Region *a = &f.region[f.live[i]];
                double iou = best_iou(a->x0 - 1, a->y0 - 1,
                                      clip(a->x1 + 2, w - 1),
                                      clip(a->y1 + 2, h - 1), gt, g);
                if (iou > best) best = iou;
            }
            hole_best[k] = best;
        }
    }
    for (Py_ssize_t t = 0; t < P->num_thr; t++) {
        const int32_t k = index_of[(int)(P->thresholds[t] * (double)u8_max)];
        if (single) P->single[t] = lead_iou[k];
        if (multi)  /* a mask without a contour gives the box [0, 0, 0, 0] */
            P->multi[t] = fg_best[k] < 0 ? empty_iou
                          : (hole_best[k] > fg_best[k] ? hole_best[k]
                                                       : fg_best[k]);
    }
    return 0;
}

static const char best_ious_doc[] =
    "best_ious(score_map, thresholds, gt, single, multi) -> bool\n\n"
    "score_map: C-contiguous float64 (H, W); thresholds: float64 (T,) in\n"
    "[0, 1); gt: int64 (G, 4), G >= 1; single / multi: writable float64\n"
    "(T,) or None. Writes per threshold the best +1-IoU with the GT boxes\n"
    "of the largest contour's box (single) and of every contour's box\n"
    "(multi). Returns False, writing nothing, when a value of the map is\n"
    "outside [0, 1] or NaN. At most 255 distinct levels int(t * max(u8)).";

/* A buffer of ``ndim`` dimensions of ``itemsize`` bytes (``kind``: 'f' or
 * 'i'), C-contiguous, or None when ``optional``. 1 on success. */
static int get_buffer(PyObject *obj, Py_buffer *view, int ndim, char kind,
                      int writable, int optional, const char *what) {
    view->obj = NULL;
    if (optional && obj == Py_None) return 1;
    int flags = PyBUF_C_CONTIGUOUS | PyBUF_FORMAT |
                (writable ? PyBUF_WRITABLE : 0);
    if (PyObject_GetBuffer(obj, view, flags) < 0) return 0;
    const char *fmt = view->format ? view->format : "B";
    if (*fmt == '<' || *fmt == '=' || *fmt == '@') fmt++;
    int ok = view->ndim == ndim && view->itemsize == 8 &&
             (kind == 'f' ? strcmp(fmt, "d") == 0
                          : (strcmp(fmt, "l") == 0 || strcmp(fmt, "q") == 0));
    if (!ok) {
        PyErr_Format(PyExc_TypeError, "best_ious: %s must be a %d-D %s",
                     what, ndim, kind == 'f' ? "float64" : "int64");
        PyBuffer_Release(view);
        view->obj = NULL;
        return 0;
    }
    return 1;
}

static void release(Py_buffer *view) {
    if (view->obj) PyBuffer_Release(view);
}

static PyObject *best_ious(PyObject *self, PyObject *args) {
    (void)self;
    PyObject *map_obj, *thr_obj, *gt_obj, *single_obj, *multi_obj;
    if (!PyArg_ParseTuple(args, "OOOOO", &map_obj, &thr_obj, &gt_obj,
                          &single_obj, &multi_obj))
        return NULL;
    Py_buffer map, thr, gtb, sgl, mlt;
    map.obj = thr.obj = gtb.obj = sgl.obj = mlt.obj = NULL;
    PyObject *result = NULL;
    if (!get_buffer(map_obj, &map, 2, 'f', 0, 0, "score_map") ||
        !get_buffer(thr_obj, &thr, 1, 'f', 0, 0, "thresholds") ||
        !get_buffer(gt_obj, &gtb, 2, 'i', 0, 0, "gt") ||
        !get_buffer(single_obj, &sgl, 1, 'f', 1, 1, "single") ||
        !get_buffer(multi_obj, &mlt, 1, 'f', 1, 1, "multi"))
        goto done;
    const Py_ssize_t num_thr = thr.shape[0];
    const char *why = NULL;
    /* A run's position is y << 16 | x in an int32, a padded pixel an
     * int32 index. */
    if (map.shape[0] < 1 || map.shape[1] < 1 || map.shape[0] >= 32768 ||
        map.shape[1] >= 32768)
        why = "score_map must be 1 to 32767 pixels high and wide";
    else if (gtb.shape[1] != 4 || gtb.shape[0] < 1)
        why = "gt must be (G, 4) with G >= 1";
    else if (num_thr < 1)
        why = "thresholds is empty";
    else if ((sgl.obj && sgl.shape[0] != num_thr) ||
             (mlt.obj && mlt.shape[0] != num_thr))
        why = "single / multi must hold one value per threshold";
    if (why) {
        PyErr_Format(PyExc_ValueError, "best_ious: %s", why);
        goto done;
    }
    const double *t = thr.buf;
    for (Py_ssize_t i = 0; i < num_thr; i++)
        if (!(t[i] >= 0.0 && t[i] < 1.0)) {
            PyErr_SetString(PyExc_ValueError,
                            "best_ious: thresholds must be in [0, 1)");
            goto done;
        }
    Pass P = {map.buf, (int32_t)map.shape[0], (int32_t)map.shape[1],
              thr.buf, num_thr, gtb.buf, gtb.shape[0],
              sgl.obj ? sgl.buf : NULL, mlt.obj ? mlt.buf : NULL, NULL};
    /* The workspace is taken and given back under the GIL. */
    P.forest = forest_take((Py_ssize_t)(P.h + 2) * (P.w + 2) + 1);
    if (!P.forest) {
        PyErr_NoMemory();
        goto done;
    }
    int status;
    Py_BEGIN_ALLOW_THREADS
    status = run_pass(&P);
    Py_END_ALLOW_THREADS
    forest_give_back(P.forest);
    if (status == 2) {
        PyErr_SetString(PyExc_ValueError, "best_ious: the thresholds give "
                        "more than 255 distinct levels");
        goto done;
    }
    result = PyBool_FromLong(status == 0);
done:
    release(&map);
    release(&thr);
    release(&gtb);
    release(&sgl);
    release(&mlt);
    return result;
}

static const char vbmi_doc[] =
    "vbmi([enable]) -> bool\n\n"
    "Whether the passes band the rows with AVX-512 VBMI (chosen at import\n"
    "where the CPU has it). enable=False makes them use the portable code,\n"
    "True goes back to VBMI where the CPU has it (the tests run both).";

static PyObject *vbmi(PyObject *self, PyObject *args) {
    (void)self;
    PyObject *enable = Py_None;
    if (!PyArg_ParseTuple(args, "|O", &enable)) return NULL;
    if (enable != Py_None) {
        const int on = PyObject_IsTrue(enable);
        if (on < 0) return NULL;
        use_vbmi = on && vbmi_supported();
    }
    return PyBool_FromLong(use_vbmi);
}

static PyMethodDef methods[] = {
    {"best_ious", best_ious, METH_VARARGS, best_ious_doc},
    {"vbmi", vbmi, METH_VARARGS, vbmi_doc},
    {NULL, NULL, 0, NULL}};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "_boxpass",
    "The protocol's boxes at every threshold of a score map in one pass.",
    -1, methods, NULL, NULL, NULL, NULL};

PyMODINIT_FUNC PyInit__boxpass(void) {
    init_tables();
    use_vbmi = vbmi_supported();
    return PyModule_Create(&module);
}
