#ifndef MIQA_CPNG_SHIM_H
#define MIQA_CPNG_SHIM_H

#include <png.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * libpng reports errors by longjmp-ing out of its callbacks. Swift cannot
 * call setjmp, so the one function that needs it lives here, in C, and turns
 * the jump into a return code plus a message. Everything else (which pixel
 * layout means what, how it maps to RGB) is decided in Swift.
 *
 * The simplified png_image API is deliberately not used for reading: it
 * applies gamma/sRGB conversion for 16-bit data and composites alpha,
 * neither of which Pillow does.
 */

/** Raw rows as libpng delivers them after the few transforms requested below. */
typedef struct {
    unsigned char *pixels;   /* malloc'd, height rows of rowBytes; caller frees */
    unsigned int width;
    unsigned int height;
    int channels;            /* 1 gray, 2 gray+alpha, 3 RGB, 4 RGBA */
    int bitDepth;            /* 8 or 16 (16-bit samples are big-endian) */
    size_t rowBytes;
    char message[256];       /* libpng's error text when decoding fails */
} miqa_png_decoded;

typedef struct {
    const unsigned char *data;
    size_t size;
    size_t offset;
    miqa_png_decoded *out;
} miqa_png_source;

/* Marker text the Swift side recognises as "ran out of bytes". */
#define MIQA_PNG_TRUNCATED "image file is truncated"

static void miqa_png_on_error(png_structp png, png_const_charp msg) {
    miqa_png_source *src = (miqa_png_source *)png_get_error_ptr(png);
    snprintf(src->out->message, sizeof(src->out->message), "%s", msg ? msg : "libpng error");
    png_longjmp(png, 1);
}

/* Pillow ignores ancillary-chunk problems too; warnings are dropped. */
static void miqa_png_on_warning(png_structp png, png_const_charp msg) {
    (void)png;
    (void)msg;
}

static void miqa_png_read_bytes(png_structp png, png_bytep dst, size_t count) {
    miqa_png_source *src = (miqa_png_source *)png_get_io_ptr(png);
    if (src->size - src->offset < count) {
        png_error(png, MIQA_PNG_TRUNCATED);
    }
    memcpy(dst, src->data + src->offset, count);
    src->offset += count;
}

/**
 * Decodes a whole PNG held in memory. Palette images are expanded to RGB(A)
 * and 1/2/4-bit gray to 8-bit (scaled as Pillow's unpackers do); 16-bit
 * samples and alpha are left untouched for the caller. Returns 0 on success,
 * -1 on failure with `out->message` set and `out->pixels` NULL.
 */
static inline int miqa_png_decode(const unsigned char *data, size_t size, miqa_png_decoded *out) {
    miqa_png_source src;
    png_structp png;
    png_infop info;
    png_bytep *volatile rows = NULL;
    unsigned int y;
    int colorType, depth;

    memset(out, 0, sizeof(*out));
    src.data = data;
    src.size = size;
    src.offset = 0;
    src.out = out;

    png = png_create_read_struct(PNG_LIBPNG_VER_STRING, &src, miqa_png_on_error, miqa_png_on_warning);
    if (!png) {
        snprintf(out->message, sizeof(out->message), "out of memory");
        return -1;
    }
    info = png_create_info_struct(png);
    if (!info) {
        png_destroy_read_struct(&png, NULL, NULL);
        snprintf(out->message, sizeof(out->message), "out of memory");
        return -1;
    }
    if (setjmp(png_jmpbuf(png))) {
        free(rows);
        free(out->pixels);
        out->pixels = NULL;
        png_destroy_read_struct(&png, &info, NULL);
        return -1;
    }
    png_set_read_fn(png, &src, miqa_png_read_bytes);
    png_read_info(png, info);

    colorType = png_get_color_type(png, info);
    depth = png_get_bit_depth(png, info);
    if (colorType == PNG_COLOR_TYPE_PALETTE) {
        png_set_palette_to_rgb(png);
    }
    if (colorType == PNG_COLOR_TYPE_GRAY && depth < 8) {
        png_set_expand_gray_1_2_4_to_8(png);
    }
    png_set_interlace_handling(png);
    png_read_update_info(png, info);

    out->width = png_get_image_width(png, info);
    out->height = png_get_image_height(png, info);
    out->channels = png_get_channels(png, info);
    out->bitDepth = png_get_bit_depth(png, info);
    out->rowBytes = png_get_rowbytes(png, info);

    out->pixels = (unsigned char *)malloc(out->rowBytes * out->height);
    rows = (png_bytep *)malloc(sizeof(png_bytep) * out->height);
    if (!out->pixels || !rows) {
        png_error(png, "out of memory");
    }
    for (y = 0; y < out->height; y++) {
        rows[y] = out->pixels + (size_t)y * out->rowBytes;
    }
    png_read_image(png, rows);

    free(rows);
    png_destroy_read_struct(&png, &info, NULL);
    return 0;
}

#endif
