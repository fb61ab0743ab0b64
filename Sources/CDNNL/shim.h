#include <dnnl.h>
#include <malloc.h>
// oneDNN in Debian is built on GNU OpenMP; its thread count is set through the OpenMP runtime.
void omp_set_num_threads(int n);
int omp_get_max_threads(void);
