#include "data/data_tree.h"

#include "data/acl_check.h"
#include "data/ephemeral_type.h"
#include "data/path_utils.h"
