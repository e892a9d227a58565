/* DMF clients include the library header; here the library is one module. */
#ifndef PPB_DMF_MODULES_LIBRARY_H
#define PPB_DMF_MODULES_LIBRARY_H

#include "Dmf_PingPongBuffer.h"

#endif /* PPB_DMF_MODULES_LIBRARY_H */
