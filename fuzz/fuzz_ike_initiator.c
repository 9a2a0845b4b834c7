/* SPDX-License-Identifier: MIT */
/* target: ikh_node_recv, ikh_node_expire (an initiator node: IKE_SA_INIT,
 *         IKE_AUTH, CREATE_CHILD_SA, INFORMATIONAL and ESP handlers) */
/* input:
 *   u8 state   bits 0-1: 0 fresh (IKE_SA_INIT sent), 1 IKE_SA_INIT answered
 * (AUTH_SENT), 2 established, 3 rekeying (a CREATE_CHILD_SA request of the
 *              target outstanding); bits 2-3 (rekeying): 0/3 rekey the
 *              Child SA, 1 rekey the IKE SA, 2 new Child SA with PFS;
 *              bit 4: NAT-T forced (the SA floats to port 4500)
 *   u8 steps   (value % 32) + 1 steps follow, each starting with u8 kind:
 *     kind & 7 = 0,1  raw datagram: u8 flags (bit 0 to port 4500: the data
 *                     is the UDP payload, 4 zero octets = non-ESP marker
 *                     then IKE, else ESP; bit 1 from a foreign address;
 *                     bit 2 the first 4 octets become the newest Child
 *                     SA's inbound SPI), data (u16 length + octets)
 *              2,3    wrapped message (header + null-AEAD SK built by the
 *                     target with the SA's SPIs): u8 SA index (newest
 *                     first), u8 exch (0 CREATE_CHILD_SA, 1 INFORMATIONAL,
 *                     2 IKE_AUTH, else that value), u8 flags (bit 0
 *                     response, bit 1 the other port than the SA's, bit 2
 *                     no Pad Length octet added, bits 4-7 Message ID offset
 *                     from the expected one; 15: a u32 Message ID follows),
 *                     u8 first inner payload type, inner payloads (u16
 *                     length + octets)
 *              4,5    clock: u16 milliseconds forward, then expire
 *              6      clock to the target's next deadline, then expire
 *              7      deliver the held genuine message of the peer
 *   (fuzz/common/fuzz_node.h describes the states and the held message)
 */
/*
 * One initiator (node "i") in a chosen state, brought there by a genuine
 * responder in the simulator, receives fuzz datagrams as if from its peer
 * (or a foreign address) on ports 500 and 4500, interleaved with clock
 * steps. Null suite for IKE, so wrapped messages reach the handlers behind
 * the integrity check. Oracles (abort with one line): no IKE SA becomes
 * established unless the peer's genuine AUTH was supplied; SA, Child SA and
 * half-open counts stay within the limits; no response to a message that
 * was dropped as invalid (besides the unprotected INVALID_IKE_SPI answer
 * of §2.21.4); no key octets (hex) in any log line; ikh_node_recv() and
 * ikh_node_expire() only fail when a hook failed (never here).
 * Deterministic, no state between inputs, writes no files.
 */
#define FUZZ_NODE_ROLE_INITIATOR 1
#include "common/fuzz_node.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fn_one(data, size);
    return 0;
}
