#include "marina/relay_ingest/service.hpp"

int main(int argc, char** argv) { return marina::service::run_main(argc, argv, marina::relay_ingest::kSpec, marina::relay_ingest::run); }
