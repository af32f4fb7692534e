/* The steps in wizard order: the one list a new step is added to (plain macros, no types). */
#ifndef SP_STEP_LIST_H
#define SP_STEP_LIST_H

/* X(id) for each step: id is the state key, the /step: name, and the suffix of the core's
 * sp_step_<id> (core/<id>/) and the page's sp_page_<id> (pages/<id>_page.c). A step's strings
 * are IDS_STEP_*(index) (core/msgids.h), its index its place here. */
#define SP_STEP_LIST(X) X(backup) X(updates) X(policy) X(health) X(timesync) X(lob) X(email)

#define SP_STEP_LIST_INDEX_(id) SP_STEP_INDEX_##id,
enum { SP_STEP_LIST(SP_STEP_LIST_INDEX_) SP_STEP_COUNT };

/* The bit of a step in sp_sysinfo_applicable(): SP_APPLIES(policy). */
#define SP_APPLIES(id) (1u << SP_STEP_INDEX_##id)

/* The wizard's pages: Welcome, one per step, Finish. */
#define SP_PAGE_COUNT (SP_STEP_COUNT + 2)

#endif
