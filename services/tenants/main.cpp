#include "marina/tenants/service.hpp"

int main(int argc, char** argv) { return marina::service::run_main(argc, argv, marina::tenants::kSpec, marina::tenants::run); }
