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

/* Time sync: 5500-5599. */
#define IDS_F_TS_CONFIG_OK          5500
#define IDS_F_TS_CONFIG_BAD         5501
#define IDS_F_TS_CONFIG_BAD_ADVICE  5502
#define IDS_F_TS_NO_SERVICE         5503
#define IDS_F_TS_NO_SERVICE_ADVICE  5504
#define IDS_F_TS_CMOS               5505
#define IDS_F_TS_CMOS_ADVICE        5506
#define IDS_F_TS_TZ_SAME            5507
#define IDS_F_TS_TZ_DIFFER          5508
#define IDS_F_TS_TZ_DIFFER_ADVICE   5509
#define IDS_F_TS_TZ_ASK             5510
#define IDS_F_TS_TZ_ASK_ADVICE      5511
#define IDS_F_TS_VM                 5512
#define IDS_F_TS_VM_ADVICE          5513
#define IDS_F_TS_OFFSET_OK          5514
#define IDS_F_TS_OFFSET_BAD         5515
#define IDS_F_TS_OFFSET_BAD_ADVICE  5516
#define IDS_F_TS_UNREACHABLE        5517
#define IDS_F_TS_UNREACHABLE_ADVICE 5518
#define IDS_F_TS_NO_DEST            5519
#define IDS_F_TS_NO_DEST_ADVICE     5520
#define IDS_F_TS_RAN                5521
#define IDS_F_TS_RESTARTED          5522
#define IDS_F_TS_TZ_UNKNOWN         5523

#endif
