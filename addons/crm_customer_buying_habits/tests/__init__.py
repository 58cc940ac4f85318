from . import test_buying_habits
from . import test_buying_habits_install
