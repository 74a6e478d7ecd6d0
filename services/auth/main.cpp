#include "marina/auth/service.hpp"

int main(int argc, char** argv) { return marina::service::run_main(argc, argv, marina::auth::kSpec, marina::auth::run); }
