/* Policy cleanup step: the choice its page offers, kept in the step's state data. */
#ifndef SP_POLICY_H
#define SP_POLICY_H

#include "core/state.h"

/* Whether Apply also clears the logon script (scriptPath) of accounts that still name
 * SBS_LOGIN_SCRIPT.bat; true unless the user said no. */
int sp_policy_clear_script_paths(const sp_state *st);
sp_status sp_policy_set_clear_script_paths(sp_state *st, int clear);

#endif
