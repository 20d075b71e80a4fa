/*
 * One pass over the levels of a quantised score map: for every requested
 * level L, the regions of the mask ``u8 > L`` that the protocol's contour
 * search would find, without tracing a contour.
 *
 * Foreground (8-connected, as cv2.findContours follows it): the pixels are
 * added from the highest value down, merged with union-find; every
 * component keeps its bounding box, the raster index of its first pixel,
 * and two sums over the 2x2 cells of pixel centres it owns (every set
 * corner of a cell belongs to one component, since the four are mutually
 * 8-adjacent):
 *   - twice the area of the polygon through its border pixel centres,
 *     cells with 3 set corners counting 1 and with 4 counting 2: equal to
 *     cv2.contourArea of its outer contour when it has no hole;
 *   - 4 x its Euler number (Gray's 8-connectivity cell weights), which
 *     tells whether it has a hole.
 * Background (4-connected): the pixels are added from the lowest value up;
 * a component not joined to the image border is a hole, whose contour's
 * bounding rectangle is the hole's box grown by one pixel on each side.
 *
 * Where a region with a hole might hold the largest contour, its outer
 * border is followed as OpenCV does, for the exact area.
 *
 * The Python side (``wsol_protocol.metrics``) calls ``level_boxes``; every
 * convention (box clipping, +1 IoU, ties) is explained there.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

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

typedef struct {
    int32_t *parent;  /* per padded pixel: -1 while not added */
    Region *region;   /* per padded pixel, valid at roots */
    int32_t *live;    /* roots of the regions reported at a level */
    int32_t *order;   /* the pixels by value */
    Py_ssize_t capacity;
    int32_t num_live;
} Forest;

static void forest_free(Forest *f) {
    free(f->parent);
    free(f->region);
    free(f->live);
    free(f->order);
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
    f->order = malloc(n * sizeof(int32_t));
    f->capacity = n;
    if (!f->parent || !f->region || !f->live || !f->order) {
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
    while (parent[a] != a) {
        parent[a] = parent[parent[a]];  /* path halving */
        a = parent[a];
    }
    return a;
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
    a->size = 1;
    a->area2 = a->euler4 = 0;
    a->pos = -1;
    a->outside = outside;
    if (!outside) live_add(f, p);
}

/* Pixel p (not yet added) joins the region rooted at r. */
static inline void join(Forest *f, int32_t p, int32_t r, int32_t x,
                        int32_t y) {
    Region *a = &f->region[r];
    f->parent[p] = r;
    a->size++;
    if (x < a->x0) a->x0 = x;
    if (x > a->x1) a->x1 = x;
    if (y < a->y0) a->y0 = y;
    if (y > a->y1) a->y1 = y;
    if (p < a->first) a->first = p;
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

/* Add pixel p, joined to the regions of its neighbours p + off[reps[i]];
 * returns its root. */
static inline int32_t add_pixel(Forest *f, int32_t p, int32_t x, int32_t y,
                                const uint8_t *reps, int num_reps,
                                const int32_t *off) {
    int32_t r = -1;
    for (int i = 0; i < num_reps; i++) {
        int32_t q = p + off[reps[i]];
        if (r >= 0 && f->parent[q] == r) continue;  /* already joined */
        int32_t rq = find(f->parent, q);
        if (r < 0) {
            join(f, p, rq, x, y);
            r = rq;
        } else if (rq != r) {
            r = merge(f, r, rq);
        }
    }
    if (r < 0) {
        new_region(f, p, x, y, 0);
        r = p;
    }
    return r;
}

/* Best +1-IoU of one box with the GT boxes (0 for a non-positive union). */
static inline double best_iou(int64_t bx0, int64_t by0, int64_t bx1,
                              int64_t by1, const int64_t *gt, Py_ssize_t g) {
    double best = 0.0;
    int64_t area_b = (bx1 - bx0 + 1) * (by1 - by0 + 1);
    for (Py_ssize_t i = 0; i < g; i++) {
        const int64_t *t = gt + 4 * i;
        int64_t iw = (bx1 < t[2] ? bx1 : t[2]) - (bx0 > t[0] ? bx0 : t[0]) + 1;
        int64_t ih = (by1 < t[3] ? by1 : t[3]) - (by0 > t[1] ? by0 : t[1]) + 1;
        if (iw < 0) iw = 0;
        if (ih < 0) ih = 0;
        int64_t inter = iw * ih;
        int64_t uni = area_b + (t[2] - t[0] + 1) * (t[3] - t[1] + 1) - inter;
        double iou = uni > 0 ? (double)inter / (double)uni : 0.0;
        if (iou > best) best = iou;
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

/* What adding a pixel changes in the four cells it is a corner of, by the
 * set pixels among its 8 neighbours (bit i: NEIGHBOURS[i]). */
static int8_t d_area2[256], d_euler4[256];
static const int NB_DX[8] = {-1, 0, 1, -1, 1, -1, 0, 1};
static const int NB_DY[8] = {-1, -1, -1, 0, 0, 1, 1, 1};

/* The set neighbours that are already joined among themselves need one
 * union between them: per neighbourhood, one representative neighbour of
 * each group of set neighbours connected within it (8-connectivity for the
 * foreground; 4-connectivity through the neighbourhood, among the four
 * edge neighbours, for the background). */
static uint8_t fg_reps[256][4], fg_num_reps[256];
static uint8_t bg_reps[256][4], bg_num_reps[256];

static int group_root(int *g, int a) {
    while (g[a] != a) a = g[a];
    return a;
}

static void representatives(int nb, int eight, uint8_t *reps, uint8_t *num) {
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
    for (int i = 0; i < 8; i++) {
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
        d_area2[nb] = (int8_t)da;
        d_euler4[nb] = (int8_t)de;
    }
}

/* Twice cv2.contourArea of the outer contour of the region whose first
 * pixel (in raster order) is p0: its border followed as cv2.findContours
 * does (Suzuki and Abe 1985, 8-connectivity), the shoelace sum taken over
 * the traced pixel centres. set(q): parent[q] >= 0. */
static const int DIR_DX[8] = {1, 1, 0, -1, -1, -1, 0, 1};
static const int DIR_DY[8] = {0, 1, 1, 1, 0, -1, -1, -1};

static int64_t outer_area2(const int32_t *parent, int32_t p0,
                           const int32_t *dir_off) {
    /* dir_off: E, SE, S, SW, W, NW, N, NE (clockwise on screen). The
     * first pixel's west neighbour is not set: search clockwise from it. */
    int d = -1;
    for (int k = 0; k < 8; k++)
        if (parent[p0 + dir_off[(4 + k) & 7]] >= 0) {
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
            if (parent[p3 + dir_off[e]] >= 0) break;
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

static const char level_boxes_doc[] =
    "level_boxes(u8, height, width, levels, gt, multi, single,\n"
    "            fg_best, hole_best, leader)\n\n"
    "u8: bytes of the (height, width) uint8 map; levels: int64 levels in\n"
    "increasing order; gt: int64 (G, 4) GT boxes. Writes, per level:\n"
    "fg_best / hole_best float64 (best IoU of the components' / holes'\n"
    "clipped boxes, -1 when there is none; with ``multi``), leader int64\n"
    "(4,) the clipped box of the component the largest-contour rule picks\n"
    "(all -1 when the mask is empty; with ``single``).";

static inline int64_t clip(int64_t v, int64_t hi) { return v < hi ? v : hi; }

static PyObject *level_boxes(PyObject *self, PyObject *args) {
    (void)self;
    Py_buffer map, lev, gtb, fgb, hob, ldb;
    int32_t h, w;
    int multi, single;
    if (!PyArg_ParseTuple(args, "y*iiy*y*ppw*w*w*", &map, &h, &w, &lev,
                          &gtb, &multi, &single, &fgb, &hob, &ldb))
        return NULL;
    PyObject *result = NULL;
    Forest *forest = NULL;
    /* Pixels live on a grid padded by one: neighbours need no bounds
     * checks, and the padding is the image border's background. */
    const int32_t pw = w + 2;
    const Py_ssize_t n = (Py_ssize_t)h * w, pn = (Py_ssize_t)(h + 2) * pw;
    const Py_ssize_t num_levels = lev.len / (Py_ssize_t)sizeof(int64_t);
    const Py_ssize_t g = gtb.len / (Py_ssize_t)(4 * sizeof(int64_t));
    if (h <= 0 || w <= 0 || map.len != n ||
        fgb.len < num_levels * (Py_ssize_t)sizeof(double) ||
        hob.len < num_levels * (Py_ssize_t)sizeof(double) ||
        ldb.len < num_levels * 4 * (Py_ssize_t)sizeof(int64_t) || g < 1) {
        PyErr_SetString(PyExc_ValueError, "level_boxes: bad buffer sizes");
        goto done;
    }
    const uint8_t *u8 = map.buf;
    const int64_t *levels = lev.buf;
    const int64_t *gt = gtb.buf;
    double *fg_best = fgb.buf, *hole_best = hob.buf;
    int64_t *leader = ldb.buf;

    /* Pixels sorted by value (counting sort), ascending, as y << 16 | x. */
    Py_ssize_t start[257] = {0};
    for (Py_ssize_t i = 0; i < n; i++) start[u8[i] + 1]++;
    for (int v = 0; v < 256; v++) start[v + 1] += start[v];
    forest = forest_take(pn + 1);
    if (!forest) {
        PyErr_NoMemory();
        goto done;
    }
    Forest f = *forest;
    int32_t *order = f.order;
    f.num_live = 0;
    {
        Py_ssize_t fill[256];
        memcpy(fill, start, sizeof(fill));
        for (int32_t y = 0; y < h; y++)
            for (int32_t x = 0; x < w; x++)
                order[fill[u8[y * w + x]]++] = y << 16 | x;
    }
    for (Py_ssize_t i = 0; i <= pn; i++) f.parent[i] = -1;
    int32_t nb_off[8];
    for (int i = 0; i < 8; i++) nb_off[i] = NB_DY[i] * pw + NB_DX[i];
    int32_t dir_off[8];
    {
        for (int i = 0; i < 8; i++) dir_off[i] = DIR_DY[i] * pw + DIR_DX[i];
    }

    Py_BEGIN_ALLOW_THREADS
    /* Foreground: levels from the highest down, pixels > level. */
    Py_ssize_t next = n;  /* order[next:] are added */
    Py_ssize_t last_hole_level = -1;  /* no hole at the levels above */
    for (Py_ssize_t k = num_levels - 1; k >= 0; k--) {
        int64_t level = levels[k];
        Py_ssize_t stop = level >= 255 ? n : (level < 0 ? 0 : start[level + 1]);
        while (next > stop) {
            const int32_t x = order[--next] & 0xffff, y = order[next] >> 16;
            const int32_t p = (y + 1) * pw + x + 1;
            int nb = 0;
            for (int i = 0; i < 8; i++)
                nb |= (f.parent[p + nb_off[i]] >= 0) << i;
            int32_t r = add_pixel(&f, p, x, y, fg_reps[nb], fg_num_reps[nb],
                                  nb_off);
            f.region[r].area2 += d_area2[nb];
            f.region[r].euler4 += d_euler4[nb];
        }
        double best = -1.0;
        int32_t lead = -1;
        int64_t lead_area2 = -1, lower2 = 0, holes = 0;
        for (int32_t i = 0; i < f.num_live; i++) {
            const Region *a = &f.region[f.live[i]];
            if (multi) {
                double iou = best_iou(a->x0, a->y0, clip(a->x1 + 1, w - 1),
                                      clip(a->y1 + 1, h - 1), gt, g);
                if (iou > best) best = iou;
            }
            if (a->area2 > lower2) lower2 = a->area2;
            holes += 4 - a->euler4;
        }
        if (holes && k > last_hole_level) last_hole_level = k;
        fg_best[k] = f.num_live ? best : -1.0;
        if (!single) continue;
        /* The largest contour: a region's cell sum is its contour's area
         * when it has no hole, a lower bound otherwise (then the contour
         * is traced, unless its box shows it cannot reach the largest
         * lower bound). On a tie OpenCV lists first the contour that
         * starts later in raster order. */
        for (int32_t i = 0; i < f.num_live; i++) {
            const int32_t r = f.live[i];
            const Region *a = &f.region[r];
            int64_t area2 = a->area2;
            if (a->euler4 != 4) {
                int64_t upper2 = 2 * (int64_t)(a->x1 - a->x0) * (a->y1 - a->y0);
                if (upper2 < lower2) continue;
                area2 = outer_area2(f.parent, a->first, dir_off);
            }
            if (area2 > lead_area2 ||
                (area2 == lead_area2 && a->first > f.region[lead].first)) {
                lead = r;
                lead_area2 = area2;
            }
        }
        int64_t *box = leader + 4 * k;
        if (lead < 0) {
            box[0] = box[1] = box[2] = box[3] = -1;
        } else {
            const Region *a = &f.region[lead];
            box[0] = a->x0;
            box[1] = a->y0;
            box[2] = clip(a->x1 + 1, w - 1);
            box[3] = clip(a->y1 + 1, h - 1);
        }
    }

    /* Background holes: levels from the lowest up, pixels <= level. */
    if (multi) {
        const int32_t out = (int32_t)pn;  /* the image border's node */
        for (Py_ssize_t i = 0; i < pn; i++) f.parent[i] = -1;
        f.num_live = 0;
        new_region(&f, out, 0, 0, 1);
        for (int32_t x = 0; x < pw; x++)
            f.parent[x] = f.parent[(h + 1) * pw + x] = out;
        for (int32_t y = 0; y < h + 2; y++)
            f.parent[y * pw] = f.parent[y * pw + w + 1] = out;
        next = 0;  /* order[:next] are added */
        for (Py_ssize_t k = 0; k < num_levels; k++) {
            if (k > last_hole_level) {
                hole_best[k] = -1.0;
                continue;
            }
            int64_t level = levels[k];
            Py_ssize_t stop = level >= 255 ? n : (level < 0 ? 0 : start[level + 1]);
            while (next < stop) {
                const int32_t x = order[next] & 0xffff, y = order[next++] >> 16;
                const int32_t p = (y + 1) * pw + x + 1;
                int nb = 0;
                for (int i = 0; i < 8; i++)
                    nb |= (f.parent[p + nb_off[i]] >= 0) << i;
                add_pixel(&f, p, x, y, bg_reps[nb], bg_num_reps[nb], nb_off);
            }
            double best = -1.0;
            for (int32_t i = 0; i < f.num_live; i++) {
                int32_t r = f.live[i];
                double iou = best_iou(f.region[r].x0 - 1, f.region[r].y0 - 1,
                                      clip(f.region[r].x1 + 2, w - 1),
                                      clip(f.region[r].y1 + 2, h - 1), gt, g);
                if (iou > best) best = iou;
            }
            hole_best[k] = best;
        }
    }
    Py_END_ALLOW_THREADS

    forest_give_back(forest);
    forest = NULL;
    result = Py_None;
    Py_INCREF(result);
done:
    if (forest) forest_give_back(forest);
    PyBuffer_Release(&map);
    PyBuffer_Release(&lev);
    PyBuffer_Release(&gtb);
    PyBuffer_Release(&fgb);
    PyBuffer_Release(&hob);
    PyBuffer_Release(&ldb);
    return result;
}

static PyMethodDef methods[] = {
    {"level_boxes", level_boxes, METH_VARARGS, level_boxes_doc},
    {NULL, NULL, 0, NULL}};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "_boxpass",
    "The protocol's regions at every level of a score map in one pass.", -1,
    methods, NULL, NULL, NULL, NULL};

PyMODINIT_FUNC PyInit__boxpass(void) {
    init_tables();
    return PyModule_Create(&module);
}
