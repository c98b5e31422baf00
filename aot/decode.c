/* decode.c - capstone wrapper (see decode.h). */
#include "decode.h"

#include <capstone/capstone.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "a64_lse_decode.h"

struct Decoder {
    csh cs;          /* capstone handle, AArch64 little-endian */
    cs_insn *insn;   /* reusable instruction buffer */
};

int dec_open(Decoder **out)
{
    Decoder *dec = calloc(1, sizeof *dec);
    if (dec == NULL)
        return -1;
    if (cs_open(CS_ARCH_ARM64, CS_MODE_LITTLE_ENDIAN, &dec->cs) != CS_ERR_OK) {
        free(dec);
        return -1;
    }
    dec->insn = cs_malloc(dec->cs);
    if (dec->insn == NULL) {
        cs_close(&dec->cs);
        free(dec);
        return -1;
    }
    *out = dec;
    return 0;
}

void dec_close(Decoder *dec)
{
    if (dec == NULL)
        return;
    cs_free(dec->insn, 1);
    cs_close(&dec->cs);
    free(dec);
}

bool dec_one(Decoder *dec, uint32_t word, uint64_t addr, DecInsn *out)
{
    memset(out, 0, sizeof *out);
    out->addr = addr;
    out->word = word;
    uint8_t bytes[4] = {word & 0xff, word >> 8 & 0xff, word >> 16 & 0xff, word >> 24};
    const uint8_t *p = bytes;
    size_t n = 4;
    uint64_t a = addr;
    if (cs_disasm_iter(dec->cs, &p, &n, &a, dec->insn)) {
        out->valid = true;
        if (dec->insn->op_str[0])
            snprintf(out->text, sizeof out->text, "%s %s", dec->insn->mnemonic, dec->insn->op_str);
        else
            snprintf(out->text, sizeof out->text, "%s", dec->insn->mnemonic);
        return true;
    }
    if (a64_lse_format(word, out->text, sizeof out->text)) {
        out->valid = true;
        return true;
    }
    snprintf(out->text, sizeof out->text, ".inst 0x%08x", word);
    return false;
}
