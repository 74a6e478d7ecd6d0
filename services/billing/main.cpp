#include "marina/billing/service.hpp"

int main(int argc, char** argv) { return marina::service::run_main(argc, argv, marina::billing::kSpec, marina::billing::run); }
