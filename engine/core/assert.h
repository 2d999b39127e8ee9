#pragma once
// ZK_ASSERT is on in every build: a broken invariant stops the process with its location.

#include <cstdio>
#include <cstdlib>

#define ZK_ASSERT(cond)                                                                            \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            std::fprintf(stderr, "%s:%d: assertion failed: %s\n", __FILE__, __LINE__, #cond);      \
            std::abort();                                                                          \
        }                                                                                          \
    } while (false)
