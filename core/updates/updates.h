/* Updates step: service packs per product, missing updates from the Windows Update Agent, restarts. */
#ifndef SP_UPDATES_H
#define SP_UPDATES_H

#include "core/sysinfo.h"

/* The last service pack Microsoft shipped for an NT version; 0 where there were none. */
unsigned sp_updates_latest_sp(unsigned major, unsigned minor);
/* SBS 2003's own service pack (SBS 2003 SP1); 0 for every other product. */
unsigned sp_updates_latest_sbs_sp(sp_product product);
/* Exchange's last service pack: 2003 SP2, 2007 SP3, 2010 SP3; 0 without Exchange. */
unsigned sp_updates_latest_exchange_sp(sp_exchange exchange);

/* What the wizard searches the agent for. */
#define SP_UPDATES_CRITERIA "IsInstalled=0 and Type='Software'"
/* The RunOnce value that brings the wizard back to this page after the restart. */
#define SP_UPDATES_RUNONCE_KEY "HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\RunOnce"
#define SP_UPDATES_RUNONCE_VALUE "SourcePrep"

#endif
