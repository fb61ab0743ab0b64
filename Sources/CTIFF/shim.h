#ifndef MIQA_CTIFF_SHIM_H
#define MIQA_CTIFF_SHIM_H

#include <tiffio.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/*
 * libtiff reads through callbacks and reports problems through printf-style
 * handlers that take a va_list. Both are easiest to write in C; this header
 * keeps them to the minimum: an in-memory byte source, and handlers that
 * store the first error text instead of printing it. Which samples mean what
 * is decided in Swift.
 */

/** An in-memory TIFF being read, plus the first error libtiff reported. */
typedef struct {
    const unsigned char *data;
    size_t size;
    size_t offset;
    int errorCount;
    char message[256];
} miqa_tiff_source;

static int miqa_tiff_on_error(TIFF *tif, void *user, const char *module, const char *fmt, va_list ap) {
    miqa_tiff_source *src = (miqa_tiff_source *)user;
    (void)tif;
    (void)module;
    if (src != NULL) {
        if (src->errorCount == 0) {
            vsnprintf(src->message, sizeof(src->message), fmt, ap);
        }
        src->errorCount += 1;
    }
    return 1; /* handled: libtiff must not fall back to printing on stderr */
}

/* Warnings (unknown tags, odd but readable layouts) are not failures, as in Pillow. */
static int miqa_tiff_on_warning(TIFF *tif, void *user, const char *module, const char *fmt, va_list ap) {
    (void)tif;
    (void)user;
    (void)module;
    (void)fmt;
    (void)ap;
    return 1;
}

static tmsize_t miqa_tiff_read(thandle_t h, void *dst, tmsize_t count) {
    miqa_tiff_source *src = (miqa_tiff_source *)h;
    size_t left = src->offset < src->size ? src->size - src->offset : 0;
    size_t n = count < 0 ? 0 : (size_t)count;
    if (n > left) n = left;
    memcpy(dst, src->data + src->offset, n);
    src->offset += n;
    return (tmsize_t)n;
}

static tmsize_t miqa_tiff_write(thandle_t h, void *buf, tmsize_t count) {
    (void)h;
    (void)buf;
    (void)count;
    return 0; /* read-only source */
}

static toff_t miqa_tiff_seek(thandle_t h, toff_t offset, int whence) {
    miqa_tiff_source *src = (miqa_tiff_source *)h;
    size_t base = whence == SEEK_CUR ? src->offset : whence == SEEK_END ? src->size : 0;
    src->offset = base + (size_t)offset; /* past the end is allowed; reads there return 0 bytes */
    return (toff_t)src->offset;
}

static int miqa_tiff_close(thandle_t h) {
    (void)h;
    return 0;
}

static toff_t miqa_tiff_size(thandle_t h) { return (toff_t)((miqa_tiff_source *)h)->size; }

static int miqa_tiff_map(thandle_t h, void **base, toff_t *size) {
    (void)h;
    (void)base;
    (void)size;
    return 0; /* no mapping: libtiff then reads through miqa_tiff_read */
}

static void miqa_tiff_unmap(thandle_t h, void *base, toff_t size) {
    (void)h;
    (void)base;
    (void)size;
}

/** Silences libtiff's process-wide handlers, which a few code paths still use. */
static inline void miqa_tiff_silence_global_handlers(void) {
    TIFFSetErrorHandler(NULL);
    TIFFSetWarningHandler(NULL);
}

/**
 * Opens the first image of an in-memory TIFF with per-file handlers writing
 * into `src`. `maxAlloc` caps any single allocation libtiff makes, so that a
 * forged header cannot make it reserve gigabytes. Returns NULL on failure
 * (the reason is in `src->message`).
 */
static inline TIFF *miqa_tiff_open(miqa_tiff_source *src, long maxAlloc) {
    TIFFOpenOptions *opts = TIFFOpenOptionsAlloc();
    TIFF *tif;
    if (opts == NULL) return NULL;
    TIFFOpenOptionsSetErrorHandlerExtR(opts, miqa_tiff_on_error, src);
    TIFFOpenOptionsSetWarningHandlerExtR(opts, miqa_tiff_on_warning, src);
    TIFFOpenOptionsSetMaxSingleMemAlloc(opts, (tmsize_t)maxAlloc);
    /* "m": never memory-map; "r": read only. */
    tif = TIFFClientOpenExt("tiff", "rm", (thandle_t)src, miqa_tiff_read, miqa_tiff_write, miqa_tiff_seek,
                            miqa_tiff_close, miqa_tiff_size, miqa_tiff_map, miqa_tiff_unmap, opts);
    TIFFOpenOptionsFree(opts);
    return tif;
}

/* Typed wrappers for the variadic TIFFGetField, which Swift cannot call. */
static inline int miqa_tiff_get_u32(TIFF *tif, uint32_t tag, uint32_t *value) {
    return TIFFGetField(tif, tag, value);
}

static inline int miqa_tiff_get_u16(TIFF *tif, uint32_t tag, uint16_t *value) {
    return TIFFGetField(tif, tag, value);
}

/** Defaulted 16-bit tag (BitsPerSample, SamplesPerPixel, Photometric, PlanarConfig...). */
static inline int miqa_tiff_get_u16_defaulted(TIFF *tif, uint32_t tag, uint16_t *value) {
    return TIFFGetFieldDefaulted(tif, tag, value);
}

/** ExtraSamples: count and the type of each extra sample. */
static inline int miqa_tiff_get_extra_samples(TIFF *tif, uint16_t *count, const uint16_t **types) {
    uint16_t *t = NULL;
    int ok = TIFFGetFieldDefaulted(tif, TIFFTAG_EXTRASAMPLES, count, &t);
    *types = t;
    return ok;
}

/** The three 16-bit colour-map arrays of a palette image (each 1 << bits long). */
static inline int miqa_tiff_get_colormap(TIFF *tif, const uint16_t **r, const uint16_t **g, const uint16_t **b) {
    uint16_t *rr = NULL, *gg = NULL, *bb = NULL;
    int ok = TIFFGetField(tif, TIFFTAG_COLORMAP, &rr, &gg, &bb);
    *r = rr;
    *g = gg;
    *b = bb;
    return ok;
}

#endif
