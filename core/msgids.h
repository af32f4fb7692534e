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

/* LOB planning: findings 5600-5629, CSV columns 5630-5649, methods 5650-5659,
 * categories 5660-5669, kinds 5670-5674, plan states 5675-5679. */
#define IDS_F_LOB_NONE_MARKED          5600
#define IDS_F_LOB_NONE_MARKED_ADVICE   5601
#define IDS_F_LOB_NEEDS_METHOD         5602
#define IDS_F_LOB_INCOMPLETE_ADVICE    5603
#define IDS_F_LOB_COMPLETE             5604
#define IDS_F_LOB_MEDIA_MISSING        5605
#define IDS_F_LOB_MEDIA_MISSING_ADVICE 5606
#define IDS_F_LOB_DATABASE             5607
#define IDS_F_LOB_DATABASE_ADVICE      5608
#define IDS_F_LOB_ADDIN                5609
#define IDS_F_LOB_ADDIN_ADVICE         5610
#define IDS_F_LOB_INVENTORY            5611
#define IDS_F_LOB_INVENTORY_ADVICE     5612
#define IDS_F_LOB_TASKS_FAILED         5613
#define IDS_F_LOB_SERVICES_FAILED      5614
#define IDS_F_LOB_LIST_FAILED_ADVICE   5615
#define IDS_F_LOB_GONE                 5616
#define IDS_F_LOB_GONE_ADVICE          5617
#define IDS_F_LOB_NEEDS_MEDIA          5618
#define IDS_LOB_CSV_COL_FIRST          5630 /* 5630..5644, in the order of the export */
#define IDS_LOB_CSV_COL_COUNT          15
#define IDS_LOB_METHOD_FIRST           5650 /* + sp_lob_method */
#define IDS_LOB_CATEGORY_FIRST         5660 /* + sp_lob_category */
#define IDS_LOB_KIND_APP               5670
#define IDS_LOB_KIND_SERVICE           5671
#define IDS_LOB_KIND_TASK              5672
#define IDS_LOB_KIND_ADDIN             5673
#define IDS_LOB_PLAN_FIRST             5675 /* + sp_lob_plan_status */

#endif
