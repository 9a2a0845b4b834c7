/* SPDX-License-Identifier: MIT */
/*
 * The metrics `ikeharness replay` writes into its run folder
 * (metrics.json, metrics.prom; pcap/src/replay_report.c), one table so the
 * writer and the user guide (tools/gen_guide_tables.py) never drift
 * (../shared/STYLE.md §13 names).
 *
 * Each row: IKH_REPLAY_METRIC(name, label, help, field)
 *  - name:  the metric's name (all counters, "_total");
 *  - label: "" for a plain counter; "rule,level" for one sample per failed
 *           rule; "level" for one sample per rule level (MUST, SHOULD);
 *  - help:  one line;
 *  - field: the ::ikh_replay_stats member a plain counter shows (the
 *           labelled ones are computed from the results: write 0).
 *
 * Included with IKH_REPLAY_METRIC defined; no include guard on purpose.
 */
/* clang-format off */
IKH_REPLAY_METRIC("ikh_replay_esp_packets_total", "",
                  "ESP packets judged", esp_pkts)
IKH_REPLAY_METRIC("ikh_replay_exchanges_total", "",
                  "exchanges (request and its response, retransmissions included) seen", exchanges)
IKH_REPLAY_METRIC("ikh_replay_ike_sas_total", "",
                  "IKE SAs seen (by SPI pair)", sas)
IKH_REPLAY_METRIC("ikh_replay_ike_sa_rekeys_total", "",
                  "IKE SA rekeys followed to the new SPIs", rekeys)
IKH_REPLAY_METRIC("ikh_replay_messages_decrypted_total", "",
                  "IKE messages whose SK (or reassembled SKF) payload was decrypted", decrypted)
IKH_REPLAY_METRIC("ikh_replay_messages_total", "",
                  "IKE messages judged", ike_msgs)
IKH_REPLAY_METRIC("ikh_replay_messages_undecrypted_total", "",
                  "encrypted IKE messages no key opened (their inner rules are not checkable)", undecrypted)
IKH_REPLAY_METRIC("ikh_replay_record_errors_total", "",
                  "capture records not judged: framing errors, reassembly drops, limits", record_errs)
IKH_REPLAY_METRIC("ikh_replay_items_not_judged_total", "",
                  "IKE messages and ESP packets past the item limit, not judged", items_dropped)
IKH_REPLAY_METRIC("ikh_replay_ike_sas_not_tracked_total", "",
                  "IKE SAs past the SA limit, their messages judged without an SA", sas_dropped)
IKH_REPLAY_METRIC("ikh_replay_violations_total", "rule,level",
                  "failed results per rule (only rules that failed appear)", 0)
IKH_REPLAY_METRIC("ikh_replay_violations_by_level_total", "level",
                  "failed results per rule level, MUST and SHOULD", 0)
/* clang-format on */
