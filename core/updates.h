/* Updates step: the service-pack table. */
#ifndef SP_UPDATES_H
#define SP_UPDATES_H

/* The last service pack Microsoft shipped for an NT version; 0 where there were none. */
unsigned sp_updates_latest_sp(unsigned major, unsigned minor);

#endif
