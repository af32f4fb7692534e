/* Resource IDs: each page has its own block; string IDs of findings are in core/msgids.h. */
#ifndef SP_RESOURCE_H
#define SP_RESOURCE_H

#include "core/msgids.h"

#define IDI_APP                 1
#define IDR_DEMO_PROFILE        100
#define IDR_MANIFEST            1
#define IDR_EVENT_MESSAGES      1   /* RT_MESSAGETABLE: the event source's messages must be ID 1 */

/* Frame: 1000-1099 */
#define IDS_APP_TITLE           1000
#define IDS_SHEET_CAPTION       1001
#define IDS_DEMO_CAPTION        1002
#define IDS_ERR_TITLE           1003
#define IDS_ERR_NOT_ADMIN       1004
#define IDS_ERR_PROFILE         1005
#define IDS_ERR_DETECT          1006
#define IDS_ERR_STATE           1007
#define IDS_ERR_JOURNAL         1008
#define IDS_WARN_STATE_ASIDE    1009
#define IDS_ERR_CMDLINE         1010
#define IDS_HELP                1011
#define IDS_ERR_SAVE_STATE      1012
#define IDS_ERR_FOLDER          1013
#define IDS_CLOSE_RUNNING       1014
#define IDS_ERR_NEEDS_X64       1015
#define IDS_EXE_DESCRIPTION     1016
#define IDS_CLI_EXE_LINE        1017
#define IDS_ERR_SIM_STATE       1018
/* Safe changes (issue 18): 6800-6899 */
#define IDS_ERR_RUNNING         6800
#define IDS_COL_SEVERITY        1023
#define IDS_COL_FINDING         1024
#define IDS_COL_ADVICE          1025
#define IDS_COL_EVIDENCE        1026
#define IDS_CLI_STEP_LINE       1030
#define IDS_CLI_FINDING_LINE    1031
#define IDS_CLI_REPORT_WRITTEN  1032
#define IDS_CLI_UNDO_CONFIRM    1033
#define IDS_CLI_UNDO_DONE       1034
#define IDS_CLI_UNDO_NEEDS_YES  1035
#define IDS_ERR_REPORT          1036
#define IDS_ERR_UNDO            1037
#define IDS_FINDING_DETAILS     1038
#define IDS_CLI_NO_APPLY        1039

/* Welcome: 1100-1199 */
#define IDD_WELCOME             1100
#define IDC_WELCOME_TITLE       1101
#define IDC_WELCOME_INTRO       1102
#define IDC_WELCOME_SERVER      1103
#define IDC_WELCOME_STEPS       1104
#define IDC_WELCOME_DEMO        1105
#define IDC_WELCOME_SUMMARY     1106
#define IDS_WELCOME_TITLE       1110
#define IDS_WELCOME_INTRO       1111
#define IDS_WELCOME_DEMO        1112
#define IDS_WELCOME_PROP_COMPUTER 1113
#define IDS_WELCOME_PROP_PRODUCT  1114
#define IDS_WELCOME_PROP_VERSION  1115
#define IDS_WELCOME_PROP_ARCH     1116
#define IDS_WELCOME_PROP_ROLE     1117
#define IDS_WELCOME_PROP_EXCHANGE 1118
#define IDS_WELCOME_ROLE_DC       1119
#define IDS_WELCOME_ROLE_MEMBER   1120
#define IDS_WELCOME_ROLE_NONE     1121
#define IDS_WELCOME_STEPS         1122
#define IDS_WELCOME_NOT_APPLY     1123
#define IDS_WELCOME_COL_PROP      1124
#define IDS_WELCOME_COL_VALUE     1125
#define IDS_WELCOME_BITS          1126
#define IDS_WELCOME_VERSION_FMT   1127
#define IDS_WELCOME_NOT_SERVER    1128
#define IDS_WELCOME_SUMMARY_FMT   1129
#define IDS_WELCOME_SP_NONE       1130
#define IDS_WELCOME_PROP_EXE      1131

/* Finish: 1200-1299 */
#define IDD_FINISH              1200
#define IDC_FINISH_TITLE        1201
#define IDC_FINISH_STEPS        1202
#define IDC_FINISH_BACKUP       1203
#define IDC_FINISH_EXPORT       1204
#define IDC_FINISH_STEP2        1205
#define IDC_FINISH_NEXT         1206
#define IDS_FINISH_TITLE_READY  1210
#define IDS_FINISH_TITLE_OPEN   1211
#define IDS_FINISH_COL_STEP     1214
#define IDS_FINISH_COL_STATUS   1215
#define IDS_FINISH_COL_CHECKED  1216
#define IDS_FINISH_EXPORTED     1217
#define IDS_FINISH_FILTER       1218
#define IDS_FINISH_NEVER        1219
#define IDS_FINISH_STEP2_URL    1220
#define IDS_FINISH_STALE        1221
#define IDS_FINISH_TITLE_MANUAL 1222

/* Step pages: 2000-2099 controls, 2100-2199 status texts */
#define IDD_STEP                2000
#define IDC_STEP_STATUS         2001
#define IDC_STEP_CHECK          2002
#define IDC_STEP_CANCEL         2003
#define IDC_STEP_PROGRESS       2004
#define IDC_STEP_FINDINGS       2005
#define IDC_STEP_MANUAL_GROUP   2006
#define IDC_STEP_APPLY          2007
#define IDC_STEP_UNDO           2008
#define IDC_STEP_ITEM1          2010
#define IDC_STEP_ITEM2          2011
#define IDC_STEP_ITEM3          2012
#define IDC_STEP_ITEM4          2013
#define IDC_STEP_REASON_LABEL   2020
#define IDC_STEP_REASON         2021
#define IDC_STEP_MARK           2022
#define IDC_STEP_DETAILS        2023 /* the selected finding, wrapped */
#define IDC_STEP_MANUAL_TOGGLE  2024 /* opens and closes the manual path */
#define SP_STEP_MAX_ITEMS       4

#define IDS_STATUS_NOT_RUN      2100
#define IDS_STATUS_PASSED       2101
#define IDS_STATUS_FAILED       2102
#define IDS_STATUS_NA           2103
#define IDS_STATUS_MANUAL_NEEDED 2104
#define IDS_STATUS_ERROR        2105
#define IDS_STATUS_MANUAL_DONE  2106
#define IDS_STATUS_STALE        2107
#define IDS_STATUS_RUNNING      2108
#define IDS_STATUS_CANCELLED    2109
#define IDS_MARK_DONE           2110
#define IDS_CLEAR_MARK          2111
#define IDS_APPLY_CONFIRM       2112
#define IDS_UNDO_CONFIRM        2113
#define IDS_UNDO_DONE           2114
#define IDS_STATUS_APPLYING     2115
#define IDS_STATUS_UNDOING      2116
#define IDS_MANUAL_SHOW         2117
#define IDS_MANUAL_HIDE         2118
#define IDS_FINDING_PANE        2119

/* Time sync page: 2600-2649 dialog and controls, 2650-2699 strings */
#define IDD_TIMESYNC            2600
#define IDC_TS_DEST_LABEL       2601
#define IDC_TS_DEST             2602
#define IDC_TS_TZ_LABEL         2603
#define IDC_TS_TZ               2604
#define IDC_TS_NTP_LABEL        2605
#define IDC_TS_NTP              2606
#define IDC_TS_CORRECT          6750 /* issue 16: the one-time correction */
#define IDC_LOB_NONE            6751 /* issue 16: "this server runs no LOB application" */

/* LOB planning page: 2700-2749 dialogs and controls, 2750-2799 strings */
#define IDD_LOB                 2700
#define IDC_LOB_LIST            2701
#define IDC_LOB_EDIT            2702
#define IDC_LOB_EXPORT          2703
#define IDC_LOB_SHOWALL         2704
#define IDC_LOB_SUMMARY         2705
#define IDD_LOB_PLAN            2710
#define IDC_LOBP_DETAILS        2711
#define IDC_LOBP_CONTACT        2712
#define IDC_LOBP_PHONE          2713
#define IDC_LOBP_EMAIL          2714
#define IDC_LOBP_METHOD         2715
#define IDC_LOBP_MEDIA          2716
#define IDC_LOBP_MEDIA_CHECK    2717
#define IDC_LOBP_MEDIA_INFO     2718
#define IDC_LOBP_LICENCE        2719
#define IDC_LOBP_DATA           2720
#define IDC_LOBP_NOTES          2721
#define IDS_LOB_COL_NAME        2750
#define IDS_LOB_COL_PUBLISHER   2751
#define IDS_LOB_COL_TYPE        2752
#define IDS_LOB_COL_PLAN        2753
#define IDS_LOB_SUMMARY         2754
#define IDS_LOB_SUMMARY_EMPTY   2755
#define IDS_LOB_EXPORT_FILTER   2756
#define IDS_LOB_EXPORTED        2757
#define IDS_LOB_EXPORT_FAILED   2758
#define IDS_LOB_PLAN_CAPTION    2759
#define IDS_LOB_MEDIA_FILE      2760
#define IDS_LOB_MEDIA_DIR       2761
#define IDS_LOB_MEDIA_DIR_PARTIAL 2762
#define IDS_LOB_MEDIA_MISSING   2763
#define IDS_LOB_MEDIA_URL       2764
#define IDS_LOB_MEDIA_ERROR     2765
#define IDS_LOB_NOT_PRESENT     2766
#define IDS_LOB_DETAILS         2767
#define IDS_LOB_SIZE_KB         2768
#define IDS_LOB_SIZE_MB         2769
#define IDS_LOB_SIZE_GB         2770
#define IDS_LOB_SIZE_BYTES      2771
#define IDS_LOB_EXPORT_NAME     2772
#define IDS_LOB_STATUS_OPEN     2773
#define IDS_LOB_MEDIA_PROBING   2774

/* Policy cleanup page: 2400-2449 dialog and controls (2450-2499 for its strings) */
#define IDD_POLICY              2400
#define IDC_POLICY_CLEAR_USERS  2401
#define IDC_POLICY_ACCOUNTS     2402
#define IDS_POLICY_ACCOUNTS     2450
#define IDS_POLICY_NO_RIGHT     2451

/* Email migration page: 2800-2849 dialog and controls, 2850-2899 page strings */
#define IDD_EMAIL               2800
#define IDC_EMAIL_TARGET_LABEL  2801
#define IDC_EMAIL_TARGET        2802
#define IDC_EMAIL_FQDN_LABEL    2803
#define IDC_EMAIL_FQDN          2804
#define IDC_EMAIL_REASON_LABEL  2805
#define IDC_EMAIL_REASON        2806
#define IDC_EMAIL_CONFIRM1      2810
#define IDC_EMAIL_CONFIRM2      2811
#define IDC_EMAIL_CONFIRM3      2812
#define SP_EMAIL_PAGE_CONFIRMS  3

/* Backup page: 2200-2249 controls, 2250-2299 strings */
#define IDD_BACKUP              2200
#define IDC_BK_FOLDER_LABEL     2201
#define IDC_BK_FOLDER           2202
#define IDC_BK_COUNT_LABEL      2203
#define IDC_BK_COUNT            2204
#define IDC_BK_TARGET_LABEL     2205
#define IDC_BK_TARGET           2206
#define IDS_BK_RUN_CONFIRM      2250
#define IDS_BK_RUN_BACKUP_CONFIRM 2251
#define IDS_BK_TARGET_NTB_LABEL 2252
#define IDS_BK_RUN_NTBACKUP_CONFIRM 2253
/* Updates page: 2300-2349 dialog and controls (2350-2399 for its strings) */
#define IDD_UPDATES             2300
#define IDS_UPDATES_INSTALL     2350
#define IDS_UPDATES_RESTART     2351
#define IDS_UPDATES_APPLY       2352

/* Per step: IDS_STEP_*(index) in core/msgids.h (3000 + 20 a step). */


/* Health page (issue 6): 2500-2549 controls, 2550-2599 strings. */
#define IDD_HEALTH              2500
#define IDC_HEALTH_TREE         2501
#define IDC_HEALTH_ACK          2502
#define IDC_HEALTH_VIEW_LIST    2504
#define IDC_HEALTH_VIEW_TREE    2505
#define IDS_HEALTH_CAT_AD        2550
#define IDS_HEALTH_CAT_DNS       2551
#define IDS_HEALTH_CAT_FRS       2552
#define IDS_HEALTH_CAT_NET       2553
#define IDS_HEALTH_CAT_SVC       2554
#define IDS_HEALTH_CAT_STORAGE   2555
#define IDS_HEALTH_CAT_EVENTS    2556
#define IDS_HEALTH_CAT_IIS       2557
#define IDS_HEALTH_CAT_EXCHANGE  2558
#define IDS_HEALTH_CAT_TIME      2559
#define IDS_HEALTH_CAT_UPDATES   2560
#define IDS_HEALTH_CAT_REPL      2561
#define IDS_HEALTH_CAT_ROLES     2562
#define IDS_HEALTH_NO_ISSUES     2564

/* Unattended inputs and the event log (wizard/inputs.c, wizard/eventlog.c, issue 21): 6550-6599;
 * core's strings of the range, 6500-6549, are in core/msgids.h. */
#define IDS_HELP_UNATTENDED     6550
#define IDS_INPUT_READ_FAILED   6551
#define IDS_ANS_REFUSED         6552
#define IDS_ANS_APPLIED         6553
#define IDS_LOB_PLANS_APPLIED   6554
#define IDS_ANS_EXPORTED        6555
#define IDS_ANS_EXPORT_FAILED   6556
#define IDS_EVT_REPORT          6557
#define IDS_EVT_REPORT_STDOUT   6558
#define IDS_EVT_NO_REPORT       6559
#define IDS_ERR_STDOUT          6560

#endif
