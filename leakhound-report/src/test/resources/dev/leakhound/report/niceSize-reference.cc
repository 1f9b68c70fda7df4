// Reference outputs of memwatch's niceSize formula (src/util.cc), 64-bit argument, printed by a C++ stream.
#include <sstream>
#include <iostream>
#include <cstdlib>
#include <cmath>
#include <random>
std::string niceSize(long long bytes) {
    std::stringstream ss;
    if (std::llabs(bytes) > 1024 * 1024) {
        ss << round(bytes / (((double) 1024 * 1024 ) / 100)) / (double) 100 << " mb";
    } else if (std::llabs(bytes) > 1024) {
        ss << round(bytes / (((double) 1024 ) / 100)) / (double) 100 << " kb";
    } else {
        ss << bytes << " bytes";
    }
    return ss.str();
}
int main() {
    std::mt19937_64 rng(20240501);
    std::cout << "# bytes\tniceSize (g++ " << __VERSION__ << ", memwatch src/util.cc formula with long long)\n";
    for (int i = 0; i < 3000; i++) {
        int mag = rng() % 44;                       // up to ~16 TiB
        long long x = (long long) (rng() % ((1ULL << mag) + 1));
        if (i % 3 == 0) x = -x;
        std::cout << x << "\t" << niceSize(x) << "\n";
    }
    // exact halves: bytes*100/1024 = k + 0.5 and bytes*100/1048576 = k + 0.5
    for (long long k = 12; k < 3000; k += 25) { long long b = (1024 * k + 512) / 100; std::cout << b << "\t" << niceSize(b) << "\n" << -b << "\t" << niceSize(-b) << "\n"; }
    for (long long k = 0; k < 4000000; k += 99991) { long long num = 1048576 * k + 524288; if (num % 100 == 0) { long long b = num / 100; std::cout << b << "\t" << niceSize(b) << "\n"; } }
}
