/* SPDX-License-Identifier: MIT */
/*
 * The one table of ikeharness log events (../shared/STYLE.md §12).
 *
 * Each row: IKH_EVENT(ID, "module.object.what", level, "description",
 *                     "field1,field2,...").
 *  - ID: the enum constant is IKH_EV_<ID>.
 *  - name: lowercase <module>.<object>.<what>, stable once released. The
 *    tool's run.start, run.end, decode.msg and decode.skip predate the rule
 *    and keep their two-part names (docs/USER_GUIDE.md, the CLI contract
 *    test); test_obs_log.c lists them as the only exceptions.
 *  - level: the level the event is normally logged at (ERROR, WARN, INFO,
 *    DEBUG, TRACE); callers pass the level to ikh_log_begin() and may use
 *    another one when the situation calls for it.
 *  - fields: the event's own keys, in the order they are written, after
 *    the fixed keys t, lvl, ev, node and, when the event names an SA
 *    (description says "SA context"), ispi, rspi, mid, exch. The logger
 *    counts a field that is not declared here, or is out of order, as
 *    misuse (ikh_log_stats::misuse).
 *
 * Key material is never a field: ikh_log_hex() is for SPIs and other
 * identifiers only and redacts keys named like key material.
 *
 * This file is included several times with different IKH_EVENT
 * definitions; it has no include guard on purpose. It lives with the
 * public headers because the public ikh_event enum is generated from it
 * (as err_table.h).
 */
/* clang-format off */
/*        ID                name                 level  description / fields */
IKH_EVENT(WIRE_PARSE_ERROR, "wire.parse.error",  WARN,
          "an IKE message failed to parse; payload is the payload type (0: IKE header)",
          "code,error,offset,payload")
IKH_EVENT(WIRE_VERIFY_ERROR, "wire.verify.error", WARN,
          "a parsed IKE message failed the semantic or per-exchange rule check",
          "code,error,offset,payload")
IKH_EVENT(DECODE_MSG,       "decode.msg",        INFO,
          "decode tool: one IKE message decoded; SA context (ispi, rspi, mid, exch) from its header",
          "frame,len,payloads")
IKH_EVENT(DECODE_SKIP,      "decode.skip",       INFO,
          "decode tool: a capture record that is not an IKE message was skipped",
          "frame,code,error")
IKH_EVENT(RUN_START,        "run.start",         INFO,
          "a run of the ikeharness program starts",
          "command,version")
IKH_EVENT(RUN_END,          "run.end",           INFO,
          "a run of the ikeharness program ends",
          "verdict,messages,errors")
IKH_EVENT(IKE_MSG_RX,       "ike.msg.rx",        DEBUG,
          "an IKE message was received (placeholder: fields settle with ike/); SA context",
          "len,payloads")
IKH_EVENT(IKE_MSG_TX,       "ike.msg.tx",        DEBUG,
          "an IKE message was sent (placeholder: fields settle with ike/); SA context",
          "len,payloads")
/* clang-format on */
