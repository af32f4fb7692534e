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

/* Shared with the UI: severities, outcomes, yes/no, and the per-step names
 * (base + 0 title, +1 subtitle, +2..+5 checklist, +6 short name). */
#define IDS_SEV_INFO            1020
#define IDS_SEV_WARNING         1021
#define IDS_SEV_ERROR           1022
#define IDS_YES                 1027
#define IDS_NO                  1028
#define IDS_NONE                1029
#define IDS_FINISH_BACKUP       1212
#define IDS_FINISH_NEXT         1213
#define IDS_RESULT_PASSED       2120
#define IDS_RESULT_FAILED       2121
#define IDS_RESULT_NA           2122
#define IDS_RESULT_MANUAL_NEEDED 2123
#define IDS_RESULT_ERROR        2124
#define IDS_RESULT_NOT_RUN      2125
#define IDS_RESULT_MANUAL_DONE  2126
#define IDS_STEP_BASE           3000
#define IDS_STEP_STRIDE         20
#define IDS_STEP_TITLE(i)       (IDS_STEP_BASE + (i) * IDS_STEP_STRIDE + 0)
#define IDS_STEP_SUBTITLE(i)    (IDS_STEP_BASE + (i) * IDS_STEP_STRIDE + 1)
#define IDS_STEP_ITEM(i, k)     (IDS_STEP_BASE + (i) * IDS_STEP_STRIDE + 2 + (k))
#define IDS_STEP_NAME(i)        (IDS_STEP_BASE + (i) * IDS_STEP_STRIDE + 6)

/* The report (core/report_html.c). */
#define IDS_R_TITLE          5900
#define IDS_R_SERVER         5901
#define IDS_R_GENERATED      5902
#define IDS_R_VERSION        5903
#define IDS_R_SUMMARY        5904
#define IDS_R_STEP           5905
#define IDS_R_STATUS         5906
#define IDS_R_CHECKED        5907
#define IDS_R_NOTES          5908
#define IDS_R_SEVERITY       5909
#define IDS_R_FINDING        5910
#define IDS_R_ADVICE         5911
#define IDS_R_EVIDENCE       5912
#define IDS_R_CHANGES        5913
#define IDS_R_KIND           5914
#define IDS_R_TARGET         5915
#define IDS_R_TIME           5916
#define IDS_R_UNDONE         5917
#define IDS_R_NO_FINDINGS    5918
#define IDS_R_NO_CHANGES     5919
#define IDS_R_DATA           5920
#define IDS_R_NEXT           5921
#define IDS_R_NEVER          5922
#define IDS_R_STALE          5923
#define IDS_R_MANUAL_REASON  5924
#define IDS_R_NOT_APPLY      5925
#define IDS_R_READY          5926
#define IDS_R_NOT_READY      5927
#define IDS_R_BACKUP_FRESH   5928
#define IDS_R_BACKUP_STALE   5929
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
/* Policy cleanup: 5300-5399. */
#define IDS_F_POLICY_RIGHT_DEFINED        5300
#define IDS_F_POLICY_RIGHT_DEFINED_ADVICE 5301
#define IDS_F_POLICY_RIGHT_ABSENT         5302
#define IDS_F_POLICY_SCRIPT_PRESENT       5303
#define IDS_F_POLICY_SCRIPT_PRESENT_ADVICE 5304
#define IDS_F_POLICY_SCRIPT_ABSENT        5305
#define IDS_F_POLICY_SCRIPT_USERS         5306
#define IDS_F_POLICY_SCRIPT_USERS_ADVICE  5307
#define IDS_F_POLICY_AD_UNREACHABLE       5308
#define IDS_F_POLICY_AD_UNREACHABLE_ADVICE 5309
#define IDS_F_POLICY_NO_SYSVOL            5310
#define IDS_F_POLICY_NO_SYSVOL_ADVICE     5311
#define IDS_F_POLICY_NO_GPO               5312
#define IDS_F_POLICY_NO_GPO_ADVICE        5313
#define IDS_F_POLICY_NOT_TEMPLATE         5314
#define IDS_F_POLICY_NOT_TEMPLATE_ADVICE  5315
#define IDS_F_POLICY_READ_FAILED          5316
#define IDS_F_POLICY_READ_FAILED_ADVICE   5317
#define IDS_F_POLICY_RIGHT_REMOVED        5318
#define IDS_F_POLICY_VERSION_RAISED       5319
#define IDS_F_POLICY_SCRIPT_MOVED         5320
#define IDS_F_POLICY_SCRIPT_PATH_CLEARED  5321
#define IDS_F_POLICY_ROLLED_BACK          5322
#define IDS_F_POLICY_ROLLED_BACK_ADVICE   5323
#define IDS_F_POLICY_BAD_VERSION          5324
#define IDS_F_POLICY_BAD_VERSION_ADVICE   5325
#define IDS_F_POLICY_CHANGE_FAILED        5326
#define IDS_F_POLICY_CHANGE_FAILED_ADVICE 5327
#define IDS_F_POLICY_SCRIPT_PATH_FAILED   5328
#define IDS_F_POLICY_AD_NEEDED            5329
#define IDS_F_POLICY_NO_USERS             5330


/* Updates step (5200-5299). */
#define IDS_F_UPDATES_SBS_SP_OK          5200
#define IDS_F_UPDATES_SBS_SP_OLD         5201
#define IDS_F_UPDATES_SBS_SP_ADVICE      5202
#define IDS_F_UPDATES_EXCH_SP_OK         5203
#define IDS_F_UPDATES_EXCH_SP_OLD        5204
#define IDS_F_UPDATES_EXCH_SP_ADVICE     5205
#define IDS_F_UPDATES_MISSING            5206
#define IDS_F_UPDATES_MISSING_ADVICE     5207
#define IDS_F_UPDATES_OPTIONAL           5208
#define IDS_F_UPDATES_NONE_MISSING       5209
#define IDS_F_UPDATES_WUA_FAILED         5210
#define IDS_F_UPDATES_WUA_FAILED_ADVICE  5211
#define IDS_F_UPDATES_REBOOT_PENDING     5212
#define IDS_F_UPDATES_REBOOT_ADVICE      5213
#define IDS_F_UPDATES_INSTALLED          5214
#define IDS_F_UPDATES_INSTALL_FAILED     5215
#define IDS_F_UPDATES_INSTALL_ADVICE     5216
#define IDS_F_UPDATES_RESTARTING         5217
#define IDS_F_UPDATES_RESTART_FAILED     5218
#define IDS_F_UPDATES_RESTART_ADVICE     5219
#define IDS_F_UPDATES_NO_REBOOT          5220
#define IDS_F_UPDATES_RESUME_FAILED      5221
#define IDS_F_UPDATES_INSTALL_ERROR      5222
#define IDS_F_UPDATES_SP_NONE            5223

#endif
