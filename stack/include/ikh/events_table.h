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
          "an IKE message was received and accepted for processing (frag: the RFC 7383 fragments it was reassembled from, 0 when it came whole); SA context",
          "len,payloads,response,frag")
IKH_EVENT(IKE_MSG_TX,       "ike.msg.tx",        DEBUG,
          "an IKE message was sent (retransmit counts earlier sends of it); SA context",
          "len,payloads,response,retransmit,frags")
IKH_EVENT(IKE_MSG_DROP,     "ike.msg.drop",      INFO,
          "a received IKE message was dropped (RFC 7296 §2.21); SA context from its header",
          "code,error,len")
IKH_EVENT(IKE_SA_STATE,     "ike.sa.state",      INFO,
          "an IKE SA changed state; SA context",
          "ref,from,to")
IKH_EVENT(IKE_SA_ERROR,     "ike.sa.error",      WARN,
          "an IKE SA or an exchange on it failed; SA context",
          "ref,code,error")
IKH_EVENT(IKE_HANDSHAKE_START, "ike.handshake.start", INFO,
          "an IKE SA setup started (role initiator or responder); SA context",
          "ref,role")
IKH_EVENT(IKE_HANDSHAKE_DONE, "ike.handshake.done", INFO,
          "an IKE SA was established; duration_ms on the node clock; SA context",
          "ref,role,duration_ms,suite,reauth_of")
IKH_EVENT(IKE_NOTIFY_TX,    "ike.notify.tx",     INFO,
          "a Notify payload was sent; SA context",
          "type,proto")
IKH_EVENT(IKE_NOTIFY_RX,    "ike.notify.rx",     INFO,
          "a Notify payload was received in an accepted message; SA context",
          "type,proto")
IKH_EVENT(IKE_MSG_RETRANSMIT, "ike.msg.retransmit", INFO,
          "a request was sent again after its timeout; SA context",
          "tries,next_ms")
IKH_EVENT(IKE_SA_REKEY,     "ike.sa.rekey",      INFO,
          "an IKE SA was rekeyed: new_ref replaces ref (§2.18); SA context of the old SA",
          "ref,new_ref,new_ispi,new_rspi")
IKH_EVENT(IKE_SA_DELETE,    "ike.sa.delete",     INFO,
          "an IKE SA is gone: by local, peer, timeout, rekey or error; SA context",
          "ref,by")
IKH_EVENT(IKE_LIVENESS_TIMEOUT, "ike.liveness.timeout", WARN,
          "the peer did not answer; the IKE SA is declared dead (§2.4); SA context",
          "ref,tries")
IKH_EVENT(IKE_COLLISION,    "ike.rekey.collision", INFO,
          "simultaneous rekeys resolved by the lowest nonce (§2.8.1); SA context",
          "ref,kind,winner")
IKH_EVENT(IKE_NATT_FLOAT,   "ike.natt.float",    INFO,
          "the IKE SA moved to the NAT-T ports (§2.23): NAT seen or encapsulation forced; SA context",
          "ref,local_port,peer_port,nat_local,nat_remote")
IKH_EVENT(IKE_CP_ADDRESS,   "ike.cp.address",    INFO,
          "configuration payload addresses assigned (responder) or received (initiator) (§2.19); SA context",
          "ref,role,ip4,ip6")
IKH_EVENT(ESP_DROP,         "esp.pkt.drop",      DEBUG,
          "an ESP packet was dropped; spi 0 when outbound had no policy",
          "code,error,spi,len")
IKH_EVENT(ESP_SOFT_LIMIT,   "esp.sa.soft_limit", INFO,
          "an outbound ESP SA reached its soft packet limit: the Child SA is rekeyed; SA context",
          "ref,child,spi")
IKH_EVENT(IKE_CHILD_STATE,  "ike.child.state",   INFO,
          "a Child SA changed state; SA context of its IKE SA",
          "ref,child,spi_in,spi_out,from,to")
IKH_EVENT(IKE_CHILD_UP,     "ike.child.up",      INFO,
          "a Child SA was installed; SA context of its IKE SA",
          "ref,child,spi_in,spi_out,suite,mode,rekey_of,ts_i,ts_r")
IKH_EVENT(IKE_CHILD_DELETE, "ike.child.delete",  INFO,
          "a Child SA is gone: by local, peer, rekey or lifetime; SA context",
          "ref,child,spi_in,by,packets_in,packets_out")
IKH_EVENT(REPLAY_RECORD_ERROR, "replay.record.error", WARN,
          "replay: a capture record that was not judged (framing error, reassembly drop, a replay limit reached); node replay, t 0 (a capture has no node clock)",
          "frame,code,error")
IKH_EVENT(REPLAY_RULE_FAIL, "replay.rule.fail",  WARN,
          "replay: one conformance rule failed on one IKE message or ESP packet (lvl error for a MUST rule, warn for a SHOULD); node replay, t 0; SA context for IKE messages",
          "frame,rule,level,detail")
/* clang-format on */
