/* SPDX-License-Identifier: MIT */
/*
 * The one table of ikeharness metrics (../shared/STYLE.md §13).
 *
 * Two kinds of rows:
 *
 * IKH_BUCKETS(SET, bound, bound, ...)
 *   a named set of histogram bucket upper bounds (integers, strictly
 *   increasing, at most IKH_METRIC_MAX_BUCKETS); "+Inf" is implicit.
 *
 * IKH_METRIC(ID, TYPE, "name", "help", LABEL, BUCKETS)
 *  - ID: the enum constant is IKH_M_<ID>.
 *  - TYPE: COUNTER, GAUGE or HISTOGRAM.
 *  - name: ikh_<module>_<what>_<unit>; counters end in _total; durations
 *    are integer _ms on the virtual clock; sizes are _octets.
 *  - help: one line, no backslash or newline.
 *  - LABEL: NONE, or one fixed label dimension from metrics.h
 *    (ERR: label "error" over the ikh_err names; PAYLOAD: label "payload"
 *    over the short payload names; EXCH: label "exch" over the exchange
 *    names). Only counters take a label.
 *  - BUCKETS: a bucket set for histograms, NONE otherwise.
 *
 * Rows need not be sorted: exports sort by name. Names are stable once
 * released. This file is included several times with different macro
 * definitions and has no include guard on purpose; a row kind the includer
 * does not define is skipped. It lives with the public headers because the
 * public ikh_metric_id enum is generated from it (as err_table.h).
 */
/* clang-format off */
#ifndef IKH_BUCKETS
#define IKH_BUCKETS(set, ...)
#define IKH_BUCKETS_DEFAULTED_
#endif
#ifndef IKH_METRIC
#define IKH_METRIC(id, type, name, help, label, buckets)
#define IKH_METRIC_DEFAULTED_
#endif

/*          set         upper bounds */
IKH_BUCKETS(MSG_OCTETS, 64, 128, 256, 512, 1024, 1500, 4096, 65535)

/* wire: the codec */
IKH_METRIC(WIRE_MESSAGES_PARSED_TOTAL, COUNTER, "ikh_wire_messages_parsed_total",
           "IKE messages parsed without error", NONE, NONE)
IKH_METRIC(WIRE_PARSE_ERRORS_TOTAL, COUNTER, "ikh_wire_parse_errors_total",
           "IKE messages that failed to parse or verify, by error", ERR, NONE)
IKH_METRIC(WIRE_PAYLOADS_TOTAL, COUNTER, "ikh_wire_payloads_total",
           "payloads parsed, by payload type", PAYLOAD, NONE)
IKH_METRIC(WIRE_MESSAGE_OCTETS, HISTOGRAM, "ikh_wire_message_octets",
           "size of parsed IKE messages in octets", NONE, MSG_OCTETS)
/* decode: the decode tool */
IKH_METRIC(DECODE_FRAMES_TOTAL, COUNTER, "ikh_decode_frames_total",
           "input frames or records read by the decode tool", NONE, NONE)
IKH_METRIC(DECODE_SKIPPED_TOTAL, COUNTER, "ikh_decode_skipped_total",
           "input frames skipped as not IKE by the decode tool", NONE, NONE)
/* ike: the IKEv2 state machine (stack/src/ike) */
IKH_BUCKETS(DURATION_MS, 1, 5, 10, 50, 100, 500, 1000, 5000, 10000, 30000, 60000)
IKH_METRIC(IKE_SAS_ACTIVE, GAUGE, "ikh_ike_sas_active",
           "IKE SAs currently established", NONE, NONE)
IKH_METRIC(IKE_CHILD_SAS_ACTIVE, GAUGE, "ikh_ike_child_sas_active",
           "Child SAs currently installed", NONE, NONE)
IKH_METRIC(IKE_HANDSHAKES_TOTAL, COUNTER, "ikh_ike_handshakes_total",
           "IKE SAs established, both roles", NONE, NONE)
IKH_METRIC(IKE_HANDSHAKE_FAILURES_TOTAL, COUNTER, "ikh_ike_handshake_failures_total",
           "IKE SA setups that failed, by error", ERR, NONE)
IKH_METRIC(IKE_HANDSHAKE_DURATION_MS, HISTOGRAM, "ikh_ike_handshake_duration_ms",
           "IKE SA setup time from the first request to established, node clock", NONE, DURATION_MS)
IKH_METRIC(IKE_AUTH_FAILURES_TOTAL, COUNTER, "ikh_ike_auth_failures_total",
           "peer authentications that failed", NONE, NONE)
IKH_METRIC(IKE_SA_REKEYED_TOTAL, COUNTER, "ikh_ike_sa_rekeyed_total",
           "IKE SAs rekeyed", NONE, NONE)
IKH_METRIC(IKE_CHILD_SA_REKEYED_TOTAL, COUNTER, "ikh_ike_child_sa_rekeyed_total",
           "Child SAs rekeyed", NONE, NONE)
IKH_METRIC(IKE_RETRANSMITS_TOTAL, COUNTER, "ikh_ike_retransmits_total",
           "requests sent again after a timeout", NONE, NONE)
IKH_METRIC(IKE_LIVENESS_TIMEOUTS_TOTAL, COUNTER, "ikh_ike_liveness_timeouts_total",
           "IKE SAs declared dead after the retransmission budget", NONE, NONE)
IKH_METRIC(IKE_MESSAGES_SENT_TOTAL, COUNTER, "ikh_ike_messages_sent_total",
           "IKE messages sent (retransmissions and fragments included), by exchange", EXCH, NONE)
IKH_METRIC(IKE_MESSAGES_RECEIVED_TOTAL, COUNTER, "ikh_ike_messages_received_total",
           "IKE messages received and accepted, by exchange", EXCH, NONE)
IKH_METRIC(IKE_SENT_OCTETS_TOTAL, COUNTER, "ikh_ike_sent_octets_total",
           "octets of IKE messages sent, by exchange", EXCH, NONE)
IKH_METRIC(IKE_RECEIVED_OCTETS_TOTAL, COUNTER, "ikh_ike_received_octets_total",
           "octets of IKE messages received and accepted, by exchange", EXCH, NONE)
IKH_METRIC(IKE_DROPPED_TOTAL, COUNTER, "ikh_ike_dropped_total",
           "received IKE messages dropped, by error", ERR, NONE)
IKH_METRIC(IKE_NOTIFY_ERRORS_SENT_TOTAL, COUNTER, "ikh_ike_notify_errors_sent_total",
           "error Notify payloads sent, by the error that caused them", ERR, NONE)
/* esp: the data plane (stack/src/esp, stack/src/ike/dataplane.c) */
IKH_METRIC(ESP_PACKETS_ENCRYPTED_TOTAL, COUNTER, "ikh_esp_packets_encrypted_total",
           "packets encapsulated in ESP and sent", NONE, NONE)
IKH_METRIC(ESP_PACKETS_DECRYPTED_TOTAL, COUNTER, "ikh_esp_packets_decrypted_total",
           "ESP packets decapsulated and delivered", NONE, NONE)
IKH_METRIC(ESP_OCTETS_ENCRYPTED_TOTAL, COUNTER, "ikh_esp_octets_encrypted_total",
           "payload octets encapsulated", NONE, NONE)
IKH_METRIC(ESP_OCTETS_DECRYPTED_TOTAL, COUNTER, "ikh_esp_octets_decrypted_total",
           "payload octets delivered", NONE, NONE)
IKH_METRIC(ESP_DROPS_TOTAL, COUNTER, "ikh_esp_drops_total",
           "ESP packets dropped, by error (replayed, too old, ICV, padding, unknown SPI, no policy)", ERR, NONE)
IKH_METRIC(ESP_REPLAY_DROPS_TOTAL, COUNTER, "ikh_esp_replay_drops_total",
           "ESP packets dropped as replayed or left of the window", NONE, NONE)
IKH_METRIC(ESP_ICV_FAILURES_TOTAL, COUNTER, "ikh_esp_icv_failures_total",
           "ESP packets whose ICV or AEAD tag did not verify", NONE, NONE)
IKH_METRIC(ESP_INVALID_SPI_TOTAL, COUNTER, "ikh_esp_invalid_spi_total",
           "ESP packets for no inbound SA", NONE, NONE)
IKH_METRIC(ESP_NAT_KEEPALIVES_TOTAL, COUNTER, "ikh_esp_nat_keepalives_total",
           "NAT keepalives sent (RFC 3948)", NONE, NONE)
/* env: environment hooks and drivers */
IKH_METRIC(ENV_ALLOC_FAILURES_TOTAL, COUNTER, "ikh_env_alloc_failures_total",
           "allocations refused by the environment allocator", NONE, NONE)
IKH_METRIC(ENV_SEND_FAILURES_TOTAL, COUNTER, "ikh_env_send_failures_total",
           "datagrams the send hook refused", NONE, NONE)
/* obs: the logger and the registry itself */
IKH_METRIC(LOG_LINES_TRUNCATED_TOTAL, COUNTER, "ikh_log_lines_truncated_total",
           "log lines that lost fields to the line buffer limit", NONE, NONE)
IKH_METRIC(METRICS_MISUSE_TOTAL, COUNTER, "ikh_metrics_misuse_total",
           "metric updates ignored: unknown ID, wrong type or label use", NONE, NONE)

#ifdef IKH_BUCKETS_DEFAULTED_
#undef IKH_BUCKETS
#undef IKH_BUCKETS_DEFAULTED_
#endif
#ifdef IKH_METRIC_DEFAULTED_
#undef IKH_METRIC
#undef IKH_METRIC_DEFAULTED_
#endif
/* clang-format on */
