/* SPDX-License-Identifier: MIT */
/* Per-exchange payload rules (msg_rules.c), used by verify.c. */
#ifndef IKH_WIRE_MSG_RULES_H
#define IKH_WIRE_MSG_RULES_H

#include "ikh/wire.h"

/* True for payload types IANA has assigned (33..54). */
bool ikh_wire_pl_known(uint8_t type);

/* Check m against the rules of its exchange and direction; the first
 * violation is returned (WIRE_RULE_*) and described in diag. */
ikh_err ikh_wire_msg_rules_check(const ikh_msg *m, ikh_diag *diag);

#endif
