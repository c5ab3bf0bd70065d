/*
 * store.c - picks the store implementation for a location.
 */
#include "store.h"

#include <string.h>

#include "error.h"

int sl_store_open(sl_store **out, const char *path, unsigned flags)
{
	*out = NULL;
	if (!strncmp(path, "postgres://", 11) ||
	    !strncmp(path, "postgresql://", 13))
		return sl_error_set(SL_EINVAL,
				    "%s: PostgreSQL stores are not supported "
				    "by this build yet",
				    path);
	return sl_store_open_sqlite(out, path, flags);
}
