/* SPDX-License-Identifier: MIT */
/* target: ikh_cap_open_file, ikh_cap_next (link types, IP reassembly,
 *         UDP/ESP classification), ikh_cap_reasm_report, ikh_wire_msg_parse,
 *         ikh_wire_msg_verify, ikh_dump_msg_json, ikh_dump_msg_text,
 *         ikh_capdec_check_cap (SK/SKF and ESP decryption),
 *         ikh_replay_cap / ikh_replay_finish / ikh_replay_select (the
 *         conformance rules of `ikeharness replay`) */
/* input: a pcap or pcapng file (any link type; records as libpcap reads
 *        them) */
/*
 * The capture reader and replay path as `ikeharness decode` runs it
 * (tools/cmd_decode.c): the input is read from memory (fmemopen(), no file
 * written) through ikh_cap_open_file(); every IKE record is parsed,
 * verified and rendered to JSON and text with the SK split of its IKE SA's
 * suite once an IKE_SA_INIT response named it. Then the same bytes go
 * through our own decryption check (capdec.h) with a fixed key table: the
 * IKE and ESP SAs of the strongSwan reference captures
 * (corpus/pcap/strongswan/<case>/{ike,esp}_keys.csv), so mutated captures
 * of those sessions reach ICV checks, decryption and inner-chain parsing.
 *
 * Oracles (abort on violation): open gives IKH_OK or PCAP_OPEN /
 * PCAP_LINKTYPE with nothing open; every record is either an IKE message
 * that parses or fails with a WIRE_* code, or it is ESP / a NAT keepalive,
 * or kind OTHER with a specific, named error code; the reader ends with
 * STATE (end of file) or PCAP_RECORD; each reassembly drop report has one
 * of the documented reasons; the decryption check returns IKH_OK or
 * PCAP_RECORD, its counts add up and each bad item names a known code.
 * Then the replay engine of `ikeharness replay` (pcap/src/replay*.c) judges
 * the capture with the same keys and every rule: it reads to the end or to
 * a PCAP_RECORD; its items are in frame order with verdicts in range; each
 * violation is a FAIL verdict of a known rule on its item, and the per-level
 * failure counts equal the violations; a second finish and a later input
 * are refused with STATE; keeping only the MUST rules drops exactly the
 * SHOULD violations.
 * Deterministic, no state between inputs (the key table is built once and
 * only read), writes no files.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ikh/capdec.h"
#include "ikh/dump.h"
#include "ikh/pcap.h"
#include "ikh/replay.h"
#include "ikh/wire.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The SAs of the strongSwan reference captures (ike_keys.csv and
 * esp_keys.csv of corpus/pcap/strongswan/<case>/). */
static const char ike_keys[] =
    "57351b9b23d7e450,6965d15e20976d82,"
    "c306542e9ecf82adff82c190d51aabc4d63829162081e0e355de55b40c6b34bee57f0f4c,"
    "18ac085d9e9e48a70b9c9aebe86158fbac7d1de48302507f0f8f2f76b27720aea34c400c,"
    "20,256,,,0\n"
    "0e8ba92c5ccb8582,e7c68433afdbd6cd,"
    "b8cc6bd3e24fa114f617e35df1ff4f5dd5176f956996502c84892f1f65732703a64e2588,"
    "4a2df218875a54ef1b5035a067ad12226e198eea03ea7cf988091abfcf28930e89635a0e,"
    "20,256,,,0\n"
    "ed3206b6d59d367b,d9953f512f56c5b9,"
    "8169a17b9776d3f637cca7cc94f1cee65b693bfb72c0f1c0652d7d94546fe35fd95af36c,"
    "d18be6c2bd2b276c92bb56712a9360504077f010efe466c6de32e9a00c6e200e9e90ef5f,"
    "20,256,,,0\n"
    "59c04b58289da1d9,08c6b5796b79ccd1,"
    "ab82115fee18d8645958a00ff56e0feafbaa0e0a6b2345d3e522a0c964a478446be8be19,"
    "616dda7af327d679fb7bee65925cfeda4d25f80ebaad9c43bb9f093d403bd6f24d5c770e,"
    "20,256,,,0\n"
    "a99101cbdf644d5c,6b91c17a46c76caf,"
    "a5678e498d04a04e9f26f2993c57b248831e20d20267aeaa83c5f22d5b46c876e39d10ec,"
    "f866d2e696cc85d69cf71f97f1532363597461e29d0d35960dd80b0d71277fea55e7ed25,"
    "20,256,,,0\n"
    "a8ba0f026c9f5b8a,15f7416cddafd39b,"
    "32ad07fbf38114e763b0e6735fe76076e556d619af53a2614f6ce7a5890194682d1e60e1,"
    "3abc55416461a2219e1104f228054018f4871cc06e456941237552bf39821474bd6e5313,"
    "20,256,,,0\n"
    "c8235f8ea2224a1c,a40e3935583713ed,"
    "0f679ab9a1ead0cbb3211d6d7b0e6c65ab4deccb9755e552531cdf39cde42bd491452973,"
    "9b9ae5e5b9a9abf384cc3e0b78b156349d4c8aa109b58b0e8d6ca9ae0ca3b45ab6553480,"
    "20,256,,,0\n"
    "8bfdf6ffcaad9087,ef4d7d6083f2283e,"
    "e4eb9fb6014edc5bfa969455e3fce245b8fcac8bc19389872e8932038b19fff84184417d,"
    "70c043557051b268c1d7aa4cda6951076ccb9dce2867594f688952cdbfb39c6de761670c,"
    "20,256,,,0\n"
    "eff761607d48fb0f,b83ff75a1f2691f2,1e31933515860c201c340f273f3a54df,"
    "fcbe8b851fea76cdfed924e83daedc59,12,128,"
    "72d2e759fb0177587a49e38ba081b34d1e8cb354,"
    "e035e3d34f3b02b595954834bc509389912700e0,2\n"
    "1ecdecaacd645d67,1861faa1363656f3,"
    "4e0dd4768dfc91fb6f5d2398eeebed751c85b082614244a07923d05aa31aca03,"
    "a0786742203812b4ed4b324f833f24fdc6e58c9580dbfa790dafccf4f4ae4a75,12,256,"
    "982669e4c61406be1aaf092aea06979573bf6664a2eca4fc92342d8ec78728b58e12a1e383"
    "cfc55234d596d8105c14b5,"
    "12c1c4c9d1de13fd339afa02466b2520576272a03046df955ea2caafd5b3ae2c2016584a31"
    "8e28a28c84cd5b2869ea9b,13\n"
    "4c059be6c5d3c061,69b1ed376dd807a3,"
    "9d260e7720a03517c8e8713315334e3f017309f2fee46dca3db85e8875192c739dd484c0,"
    "09b5d18056c9e7cc231290c5460b67c7deb9a1cbdd6de0392b26af362d60b3ca99e6058d,"
    "28,0,,,0\n";
static const char esp_keys[] =
    "192.0.2.2,192.0.2.1,a457dcc7,20,256,"
    "cf964ba00300e2da1dd614039295242b92c5e8473b83fee0022014647ce78757cef5eaf5,"
    "0,,0\n"
    "192.0.2.1,192.0.2.2,d31d37f9,20,256,"
    "b5bbeec6eec312076ef8e6ade7ccd74733c9b24b50ea18fff8cfeb81569b6f7fd04063ee,"
    "0,,0\n"
    "192.0.2.2,192.0.2.1,7be926d8,20,256,"
    "c98c9d2775e1f49cd2b9fd62c2a112d5d50aa3109090e86d8f50515ea7fc3bb6f2c9f092,"
    "0,,0\n"
    "192.0.2.1,192.0.2.2,ba414d4e,20,256,"
    "b973c3bacb559d8244c4a0c65dd112c9f0445f8677c6a35d93a018945c065e8dec613ec6,"
    "0,,0\n"
    "192.0.2.2,192.0.2.1,9d0a3014,20,256,"
    "17eacfa62ff7148bff5c0cbe0da88316aa93eec4a5dc10509476bdb3a2dbc752401032f0,"
    "0,,0\n"
    "192.0.2.1,192.0.2.2,bfd6d104,20,256,"
    "b58499c11438662687546d4cdb9f96e8dce1aa5a496a18f9181071807f25c4b2ce605dca,"
    "0,,0\n"
    "2001:db8::2,2001:db8::1,a0be08b9,20,256,"
    "6e7375b48c51aa61f38ca73ccea30b34d980b326f227fd131e4b520b2978cab10c90eb69,"
    "0,,0\n"
    "2001:db8::1,2001:db8::2,7340c3a0,20,256,"
    "99cc2b26cdc2a0c44c510bc04a052d0b81550208e909beea239395632b4b1e3d165265f9,"
    "0,,0\n"
    "192.0.2.2,192.0.2.1,3017b417,20,256,"
    "257a33a35c481d832270de379feae1c2b27f49a520208e71507c08dd0217d54d4770e903,"
    "0,,0\n"
    "192.0.2.1,192.0.2.2,6f94064e,20,256,"
    "e34bda5af665a6bca53280e57ff3e7c825fc8a7524f74dc30928f37ffb546e1582d0ec80,"
    "0,,0\n"
    "192.0.2.2,192.0.2.1,c3336299,20,256,"
    "0129b56d1c32b266c35af11fc343eee0d3da630d77566624de046d4440f9c18d08ea4c1f,"
    "0,,0\n"
    "192.0.2.1,192.0.2.2,822a45ce,20,256,"
    "bf38882008727909fa01e56f7f37ecd7ee0aaca49688247109464d2d4d57afa919f3e696,"
    "0,,0\n"
    "192.0.2.2,192.0.2.1,3e4aadcf,20,256,"
    "98f5e8a7276200e597e764c180b8568a08d4f81c5896c9163be69d16074e2cc1a62da0e6,"
    "0,,0\n"
    "192.0.2.1,192.0.2.2,5dd02d8b,20,256,"
    "7f666c09914cddf83bf32e34154a146b57f4769fb43c789a39a9f144525c76cc231aaf1f,"
    "0,,0\n"
    "192.0.2.2,192.0.2.1,dfaf4041,12,128,d2499393bf41c793fb5fa0111327d47a,2,"
    "6e9250a5ae829ffd18baa844cf55ed2931822ea6,0\n"
    "192.0.2.1,192.0.2.2,5a0da654,12,128,922f378026f373ab7fbe788e81a47eeb,2,"
    "7ff8cdd1a3775a646ce8e8abcccd5021be13f188,0\n"
    "192.0.2.2,192.0.2.1,3399d8f5,12,256,"
    "f33444711222b2439bceb954b5004b67a8c644aade49c96c607d1f94752dcb0f,13,"
    "44fc146526d944714391457bd8b864f45fae7f6a7424a1349040b35fa756fecb80beced724"
    "6800d9c9cfcaefde268a04,0\n"
    "192.0.2.1,192.0.2.2,4243f7f2,12,256,"
    "2940bdebcd221e18abadad7a2ec986b6b7f5e7f3de2288903a0db88b732f90ea,13,"
    "57964b79d2921effbb18ee015b3f6c4e79ce12daaff5635d615f054bb9eb63065f080b54db"
    "99887cc0f435ac64c2747a,0\n"
    "192.0.2.2,192.0.2.1,84970a61,28,0,"
    "1e049e5b7263adac44f1609d64bd10665359684f97bc7c18f1222ab24c67711bc6aa283d,"
    "0,,0\n"
    "192.0.2.1,192.0.2.2,dd2b1b03,28,0,"
    "0406187bea07192f00640022c49294db5c4820846c23d3919055900d78b0f13fb856299e,"
    "0,,0\n";

#define SUITES 16u

typedef struct suite_row {
    uint64_t ispi, rspi;
    ikh_sk_info sk;
} suite_row;

static ikh_msg msg;
static char text[1 << 20];
static ikh_capdec_result res;

static const ikh_capdec_keys *keys(void)
{
    static ikh_capdec_keys *k;
    if (k == NULL) {
        if (ikh_capdec_keys_new(&k) != IKH_OK ||
            ikh_capdec_keys_parse_ike(k, ike_keys, strlen(ike_keys), NULL) !=
                IKH_OK ||
            ikh_capdec_keys_parse_esp(k, esp_keys, strlen(esp_keys), NULL) !=
                IKH_OK)
            abort(); /* the table is ours: it must load */
    }
    return k;
}

static bool named(ikh_err e)
{
    return e != IKH_OK && strcmp(ikh_err_name(e), "UNKNOWN") != 0;
}

/* As cmd_decode.c's learn_suite(): an IKE_SA_INIT response's accepted
 * proposal gives the IV and ICV lengths of that SA's SK payloads
 * (ikh_dump_sk_info_of()). */
static void learn_suite(suite_row *tab, size_t *n, const ikh_msg *m)
{
    const ikh_ike_hdr *h = &m->hdr;
    ikh_sk_info sk;
    if (ikh_dump_sk_info_of(m, &sk) && *n < SUITES)
        tab[(*n)++] = (suite_row){h->ispi, h->rspi, sk};
}

static const ikh_sk_info *find_suite(const suite_row *tab, size_t n,
                                     const ikh_msg *m)
{
    for (size_t i = 0; i < n; i++)
        if (tab[i].ispi == m->hdr.ispi && tab[i].rspi == m->hdr.rspi)
            return &tab[i].sk;
    return NULL;
}

static void decode_ike(ikh_span s, suite_row *tab, size_t *n)
{
    ikh_diag pd = {0}, vd = {0};
    pd.pl_index = vd.pl_index = -1;
    ikh_err e = ikh_wire_msg_parse(&msg, s.p, s.len, &pd);
    if (e == IKH_OK) {
        if (ikh_wire_msg_verify(&msg, &vd) != IKH_OK && !named(vd.err))
            abort(); /* a verify error names itself */
        learn_suite(tab, n, &msg);
    } else if (!named(e) || pd.err != e) {
        abort(); /* a parse error is a specific code, in the diagnostic */
    }
    const ikh_sk_info *sk = find_suite(tab, *n, &msg);
    ikh_json j;
    size_t len;
    ikh_json_init(&j, text, sizeof text);
    ikh_json_obj_open(&j, NULL);
    ikh_json_u64(&j, "length", s.len);
    ikh_dump_diag_json(&j, "error", &pd);
    ikh_dump_diag_json(&j, "verify", &vd);
    if (pd.err != IKH_ERR_WIRE_HDR_SHORT)
        ikh_dump_msg_json(&j, &msg, sk);
    ikh_json_obj_close(&j);
    if (ikh_json_finish(&j, &len) != IKH_OK)
        abort(); /* 1 MiB holds the JSON of any 64 KiB message */
    if (pd.err != IKH_ERR_WIRE_HDR_SHORT &&
        ikh_dump_msg_text(&msg, sk, text, sizeof text, &len) != IKH_OK)
        abort();
    char line[512];
    (void)ikh_dump_diag_text(&pd, line, sizeof line);
}

static void check_record(const ikh_frame *fr, suite_row *tab, size_t *n)
{
    switch (fr->kind) {
    case IKH_FRAME_IKE:
        if (fr->err != IKH_OK)
            abort();
        decode_ike(fr->ike, tab, n);
        break;
    case IKH_FRAME_ESP:
    case IKH_FRAME_NAT_KEEPALIVE:
        if (fr->err != IKH_OK)
            abort();
        break;
    case IKH_FRAME_OTHER:
        if (!named(fr->err))
            abort(); /* skipped records say why */
        break;
    default:
        abort();
    }
    char a[64];
    (void)ikh_addr_fmt(&fr->src, a, sizeof a);
    (void)ikh_addr_fmt(&fr->dst, a, sizeof a);
}

static void drain(ikh_cap *c)
{
    uint64_t first = 0;
    ikh_err why = IKH_OK;
    while (ikh_cap_reasm_report(c, &first, &why) == IKH_OK)
        if (why != IKH_ERR_PKT_FRAG_OVERLAP && why != IKH_ERR_PKT_FRAG_BAD &&
            why != IKH_ERR_PKT_FRAG_TIMEOUT && why != IKH_ERR_PKT_FRAG_LIMIT &&
            why != IKH_ERR_ENV_NOMEM)
            abort();
    if (ikh_cap_reasm_lost(c) != 0)
        abort(); /* drained after every call: none lost */
}

/* Open the input as a capture; NULL when it is not one (an oracle checks
 * the error). */
static ikh_cap *open_mem(const uint8_t *data, size_t size)
{
    /* "r": fmemopen never writes the buffer */
    FILE *f = fmemopen((void *)(uintptr_t)data, size, "rb");
    if (f == NULL)
        abort();
    ikh_cap *c = NULL;
    char eb[256];
    ikh_err e = ikh_cap_open_file(f, "fuzz", &c, eb, sizeof eb);
    if (e == IKH_OK) {
        if (c == NULL || ikh_cap_linktype(c) < 0)
            abort();
        return c;
    }
    if ((e != IKH_ERR_PCAP_OPEN && e != IKH_ERR_PCAP_LINKTYPE) || c != NULL)
        abort();
    return NULL;
}

/* Returns whether the capture holds anything the decryption check looks
 * at (an IKE message, also one cut by the snap length, or ESP). */
static bool decode_pass(const uint8_t *data, size_t size)
{
    ikh_cap *c = open_mem(data, size);
    if (c == NULL)
        return false;
    bool keyed = false;
    suite_row tab[SUITES];
    size_t n = 0;
    uint64_t last = 0;
    for (;;) {
        ikh_frame fr;
        ikh_err e = ikh_cap_next(c, &fr);
        drain(c);
        if (e == IKH_ERR_STATE)
            break;
        if (e == IKH_ERR_PCAP_RECORD) {
            if (ikh_cap_errmsg(c)[0] == '\0' ||
                ikh_cap_next(c, &fr) != IKH_ERR_PCAP_RECORD)
                abort(); /* says why, and stays stopped */
            drain(c);
            break;
        }
        if (e != IKH_OK || fr.index != last + 1)
            abort();
        last = fr.index;
        check_record(&fr, tab, &n);
        keyed |= fr.kind == IKH_FRAME_IKE || fr.kind == IKH_FRAME_ESP ||
                 fr.ike.len > 0 || fr.esp.len > 0;
    }
    ikh_cap_close(c);
    return keyed;
}

static void capdec_pass(const uint8_t *data, size_t size)
{
    ikh_cap *c = open_mem(data, size);
    if (c == NULL)
        return;
    char eb[256];
    ikh_err e = ikh_capdec_check_cap(keys(), c, &res, eb, sizeof eb);
    ikh_cap_close(c);
    if (e != IKH_OK && e != IKH_ERR_PCAP_RECORD)
        abort();
    const ikh_capdec_result *r = &res;
    if (r->ike_ok + r->ike_bad != r->ike_checked ||
        r->ike_checked + r->ike_skipped + r->ike_plain + r->ike_unparsed !=
            r->ike_msgs ||
        r->ike_skf_ok > r->ike_skf_checked ||
        r->esp_ok + r->esp_bad != r->esp_checked ||
        r->esp_checked + r->esp_skipped != r->esp_pkts ||
        r->esp_dummies > r->esp_ok || r->n_bad > IKH_CAPDEC_MAX_BAD ||
        r->n_reasons > IKH_CAPDEC_MAX_REASONS)
        abort();
    for (size_t i = 0; i < r->n_bad; i++)
        if (!named(r->bad[i].why))
            abort();
}

/* The violations and counts of a finished replay agree with its items. */
static void check_replay_results(const ikh_replay *r)
{
    size_t ni = 0, nv = 0;
    const ikh_replay_item *it = ikh_replay_items(r, &ni);
    const ikh_replay_violation *v = ikh_replay_violations(r, &nv);
    const ikh_replay_stats *st = ikh_replay_get_stats(r);
    uint64_t prev = 0;
    for (size_t i = 0; i < ni; i++) {
        if (it[i].frame < prev || it[i].kind > IKH_ITEM_ESP)
            abort(); /* items in capture order */
        prev = it[i].frame;
        for (unsigned k = 0; k < IKH_RULE__COUNT; k++)
            if (it[i].verdict[k] > IKH_VERDICT_NOKEYS)
                abort();
    }
    uint64_t by_level[2] = {0, 0};
    for (size_t i = 0; i < nv; i++) {
        const ikh_rule_info *ri = ikh_replay_rule(v[i].rule);
        if (ri == NULL || v[i].item >= ni ||
            it[v[i].item].frame != v[i].frame ||
            it[v[i].item].verdict[v[i].rule] != IKH_VERDICT_FAIL ||
            memchr(v[i].detail, 0, sizeof v[i].detail) == NULL ||
            (unsigned)ri->level > 1)
            abort(); /* each violation is a FAIL on its item */
        by_level[ri->level]++;
    }
    if (by_level[0] != st->fail[0] || by_level[1] != st->fail[1] ||
        st->ike_msgs + st->esp_pkts != ni + st->items_dropped)
        abort();
    size_t ne = 0;
    const ikh_replay_record_err *re = ikh_replay_record_errs(r, &ne);
    if (ne > IKH_REPLAY_MAX_RECORD_ERRS || ne > st->record_errs)
        abort();
    for (size_t i = 0; i < ne; i++)
        if (!named(re[i].err))
            abort();
}

static void replay_pass(const uint8_t *data, size_t size)
{
    ikh_cap *c = open_mem(data, size);
    if (c == NULL)
        return;
    ikh_replay *r = NULL;
    if (ikh_replay_new(keys(), &r) != IKH_OK)
        abort();
    char eb[256];
    ikh_err e = ikh_replay_cap(r, c, eb, sizeof eb);
    if (e != IKH_OK && e != IKH_ERR_PCAP_RECORD)
        abort();
    ikh_frame fr;
    memset(&fr, 0, sizeof fr);
    fr.kind = IKH_FRAME_OTHER;
    if (ikh_replay_finish(r) != IKH_OK ||
        ikh_replay_finish(r) != IKH_ERR_STATE ||
        ikh_replay_frame(r, &fr) != IKH_ERR_STATE)
        abort(); /* one finish; nothing after it */
    ikh_cap_close(c);
    check_replay_results(r);
    /* --rules must: the SHOULD violations go, the MUST ones stay */
    uint64_t must = ikh_replay_get_stats(r)->fail[IKH_LEVEL_MUST];
    bool keep[IKH_RULE__COUNT];
    for (unsigned k = 0; k < IKH_RULE__COUNT; k++)
        keep[k] = ikh_replay_rule((ikh_rule_id)k)->level == IKH_LEVEL_MUST;
    if (ikh_replay_select(r, keep) != IKH_OK)
        abort();
    const ikh_replay_stats *st = ikh_replay_get_stats(r);
    if (st->fail[IKH_LEVEL_SHOULD] != 0 || st->fail[IKH_LEVEL_MUST] != must)
        abort();
    check_replay_results(r);
    ikh_replay_free(r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0; /* fmemopen() refuses an empty buffer */
    /* the decryption check only when there is something to decrypt: it
     * sets up 700 KiB of buffers per capture */
    if (decode_pass(data, size)) {
        capdec_pass(data, size);
        replay_pass(data, size);
    }
    return 0;
}
