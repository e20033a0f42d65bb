/* Tesseract's word images kept as stored (uncompressed) PNG: see vanban/ocr/stored_png.py.
 *
 * libtesseract keeps each word or line image it hands to its LSTM recogniser as a PNG in
 * memory (ImageData::SetPixInternal -> pixWriteMem(..., IFF_PNG)) and decodes it again at
 * once; leptonica compresses it at zlib's default level. Loaded ahead of libtesseract into
 * the global symbol scope, this pixWriteMem asks leptonica for zlib level 0 on a PNG whose
 * level the caller did not choose, then calls leptonica's own pixWriteMem. PNG is lossless
 * at every level: the pixels read back, and so Tesseract's words, are the same. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <leptonica/allheaders.h>

typedef l_ok (*write_mem_fn)(l_uint8 **, size_t *, PIX *, l_int32);

/* Leptonica before 1.83 has the Pix struct in its public headers and no pixGetSpecial. */
#if LIBLEPT_MAJOR_VERSION == 1 && LIBLEPT_MINOR_VERSION < 83
#define SPECIAL_OF(pix) ((pix)->special)
#else
#define SPECIAL_OF(pix) pixGetSpecial(pix)
#endif

static long intercepted = 0;
static write_mem_fn leptonica_write = NULL;

/* Resolved once when the library is loaded, before any thread can call pixWriteMem. */
__attribute__((constructor)) static void find_leptonica_write(void)
{
    leptonica_write = (write_mem_fn)dlsym(RTLD_NEXT, "pixWriteMem");
}

l_ok pixWriteMem(l_uint8 **pdata, size_t *psize, PIX *pix, l_int32 format)
{
    if (leptonica_write == NULL)
        return 1;  /* leptonica's error value: no image written */
    /* pixSetZlibCompression stores 10 + level in the pix's "special" field: a level the
     * caller chose is kept, and the field is given back as it was after the write. */
    if (format == IFF_PNG && pix != NULL && SPECIAL_OF(pix) == 0) {
        l_ok failed;
        pixSetZlibCompression(pix, 0);
        failed = leptonica_write(pdata, psize, pix, format);
        pixSetSpecial(pix, 0);
        __atomic_add_fetch(&intercepted, 1, __ATOMIC_RELAXED);
        return failed;
    }
    return leptonica_write(pdata, psize, pix, format);
}

/* PNG images written at level 0 by the function above (for tests). */
long vanban_stored_png_count(void)
{
    return __atomic_load_n(&intercepted, __ATOMIC_RELAXED);
}
