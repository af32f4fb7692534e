/* String-table IDs shared by core (findings) and resources (the text). Plain defines:
 * windres includes this file too. Blocks: 1000 frame, 2000+ per page, 5000+ findings. */
#ifndef SP_MSGIDS_H
#define SP_MSGIDS_H

/* Findings every step may give. */
#define IDS_F_NOT_AUTOMATED        5000
#define IDS_F_NOT_AUTOMATED_ADVICE 5001
#define IDS_F_POLICY_NOT_2003      5002
#define IDS_F_EMAIL_NO_EXCHANGE    5003
#define IDS_F_EMAIL_EXCHANGE       5004
#define IDS_F_EMAIL_EXCHANGE_ADVICE 5005
#define IDS_F_POLICY_2003          5006
#define IDS_F_BACKUP_TOOL          5007
#define IDS_F_BACKUP_TOOL_ADVICE   5008
#define IDS_F_UPDATES_SP           5009
#define IDS_F_UPDATES_SP_OLD       5010
#define IDS_F_UPDATES_SP_ADVICE    5011
#define IDS_F_NOT_SERVER           5012
#define IDS_F_NOT_SERVER_ADVICE    5013
#define IDS_F_COULD_NOT_RUN        5014
#define IDS_F_COULD_NOT_RUN_ADVICE 5015

#endif
