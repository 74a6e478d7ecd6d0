#include "marina/relay_query/service.hpp"

int main(int argc, char** argv) { return marina::service::run_main(argc, argv, marina::relay_query::kSpec, marina::relay_query::run); }
