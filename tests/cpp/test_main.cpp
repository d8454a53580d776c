// The Boost.Test module's entry point; the suites are in the other test_<area>.cpp files.
#define BOOST_TEST_MODULE keyaccount
#include <boost/test/unit_test.hpp>
